// Bad input to the issue-8 verbs: a clear message, exit code 2, and
// nothing changed (the event store, the secrets file, the hosts).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSqliteEventStore } from '@rotor/store-sqlite';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mapDemo, startCli, type CliFixture } from '../../test/cliHarness.js';
import { appendDecision, requireInventory, userRef } from '../runtime.js';
import { decideRotation } from './rotate.js';
import { withStore } from './verb.js';

let cli: CliFixture;
let finishedJob: string;

/** Every event of the store, the secrets file and the hosts' counters. */
const snapshot = async (c: CliFixture) => {
  const opened = await openSqliteEventStore({ path: join(c.dir, 'rotor.db') });
  if (E.isLeft(opened)) {
    throw new Error('cannot open the test store');
  }
  const events: string[] = [];
  try {
    for await (const e of opened.right.readAll()) {
      events.push(`${e.stream}@${e.revision} ${e.type}`);
    }
  } finally {
    await opened.right.close();
  }
  const secretsFile = join(c.dir, 'rotor-secrets.json');
  const hosts = [...c.running.fleet.hostByKey.values()].map((h) =>
    [...h.services.values()].map((s) => {
      const n = h.counters({ kind: 'service', name: s.name });

      return `${h.computerName}/${s.name} ${s.state} ${n.credentialSets} ${n.starts}`;
    }),
  );

  return {
    events,
    secrets: existsSync(secretsFile) ? readFileSync(secretsFile, 'utf8') : '',
    hosts,
  };
};

beforeAll(async () => {
  cli = await startCli();
  await mapDemo(cli);
  const job = await cli.json<{ jobId: string; status: string }>(
    'rotate',
    '-r',
    'svc-app',
  );
  expect(job.status).toBe('finished');
  finishedJob = job.jobId;
});

afterAll(async () => {
  await cli.stop();
});

const refused = async (args: ReadonlyArray<string>, message: string) => {
  const before = await snapshot(cli);
  const r = await cli.run(...args);
  expect(r.stderr).toContain(message);
  expect(r.code).toBe(2);
  expect(await snapshot(cli)).toEqual(before);
};

describe('bad input changes nothing', () => {
  const unknown = 'AAAAAAAAAAAAAAAAAAAAAA';

  it('refuses an unknown job on restart, retry and job-info', async () => {
    await refused(['restart', unknown], `no job ${unknown}`);
    await refused(['retry', unknown], `no job ${unknown}`);
    await refused(['job-info', unknown], `no job ${unknown}`);
  });

  it('refuses a retry of a job with no failures', async () => {
    await refused(
      ['retry', finishedJob],
      `job ${finishedJob} has no failed dependent or machine to retry`,
    );
  });

  it('refuses a restart of a job with nothing deferred', async () => {
    await refused(
      ['restart', finishedJob],
      `job ${finishedJob} has no deferred, halted or failed restart to do`,
    );
  });

  it('refuses rotate options that do not go together, before any job is written', async () => {
    await refused(
      ['rotate', '-r', 'svc-app', '--dry-run', '--preflight'],
      '--dry-run and --preflight do not go together',
    );
    await refused(
      ['rotate', '-r', 'svc-app', '--new-password-env', 'X'],
      '--new-password-env/-file needs --external',
    );
    await refused(
      [
        'rotate',
        '-r',
        'svc-app',
        '--logon-budget',
        '5',
        '--lockout-threshold',
        '5',
      ],
      'must be a whole number of at least 1 and under the lockout threshold',
    );
    await refused(['rotate', '-r', 'nobody'], 'nobody');
    await refused(
      ['rotate', '-r', 'svc-app', '--max-jobs', '3'],
      '--max-jobs applies to several users only',
    );
  });

  it('refuses discovery, mapping, enable and history of things that do not exist', async () => {
    await refused(
      ['discover', '-m', 'NOPE'],
      "no machine 'NOPE' in the inventory",
    );
    await refused(
      ['service', 'map', '-g', 'nope'],
      "no gateway 'nope' in the inventory",
    );
    await refused(
      ['service', 'enable', '-g', cli.running.fleet.gateway.name],
      'give exactly one of -m <machine> and -u <user>',
    );
    await refused(['history', '-u', 'nobody'], "no user 'nobody'");
  });

  it('refuses a restart or retry of a job still running', async () => {
    const opts = {
      store: join(cli.dir, 'rotor.db'),
      inventory: join(cli.dir, 'rotor.yaml'),
      json: false,
    };
    const inv = requireInventory(opts);
    // A job scheduled and not run: as a gateway sees one in progress.
    const running = await withStore(opts, async (store) => {
      const { decided } = await decideRotation(
        opts,
        inv,
        store,
        userRef(inv, 'svc-app'),
        {},
      );
      if (E.isLeft(decided)) {
        throw new Error('the test job was refused');
      }
      await appendDecision(store, decided.right);

      return decided.right.jobId ?? '';
    });
    for (const verb of ['restart', 'retry']) {
      await refused(
        [verb, running],
        `job ${running} has not finished: wait for it to end`,
      );
    }
  });
});
