import { fileURLToPath } from 'node:url';
import type { Secret } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Output } from '../output.js';
import { CliError, exitCodes } from '../output.js';
import {
  requireInventory,
  secretPaths,
  type GlobalOptions,
} from '../runtime.js';
import { openSecrets } from '../secrets.js';
import { renderTable } from '../table.js';
import {
  ensureKeyFile,
  snapshotFleet,
  cliDemoFleet,
  startDemoFleet,
  writeDemoInventory,
  type DependentSnapshot,
  type RunningFleet,
} from './demoFleet.js';
import { rotate } from './rotate.js';
import { applyMappingCommand } from './service.js';
import type { Verb } from './verb.js';

/** One line of the demo's closing check. */
export interface CheckRow {
  readonly machine: string;
  readonly kind: string;
  readonly name: string;
  readonly account: string;
  readonly before: string;
  readonly after: string;
  readonly password: string;
  readonly ok: boolean;
}

const holdsPassword = (s: DependentSnapshot): boolean =>
  s.password !== undefined;

/**
 * Compares the fleet after the rotation with the fleet before it: every
 * dependent of the rotated account holds the new password, was running
 * after if it was running before, and a stopped one is still stopped and
 * was never started; everything else is as it was.
 */
export const checkFleet = (
  running: RunningFleet,
  before: ReadonlyArray<DependentSnapshot>,
  after: ReadonlyArray<DependentSnapshot>,
  newPassword: Secret,
): ReadonlyArray<CheckRow> =>
  after.map((a) => {
    const b = before.find(
      (x) => x.machine === a.machine && x.kind === a.kind && x.name === a.name,
    );
    const host = [...running.fleet.hostByKey.values()].find(
      (h) => h.computerName === a.machine,
    );
    const rotatedHere =
      host !== undefined &&
      holdsPassword(a) &&
      host.sameAccount(a.account, running.rotated.login);
    const stateKept = b !== undefined && b.state === a.state;
    let password: string;
    let ok: boolean;
    if (rotatedHere) {
      const isNew = a.password === newPassword.reveal();
      password = isNew ? 'new' : 'NOT NEW';
      const neverStarted = b?.state !== 'stopped' || a.starts === 0;
      ok = isNew && stateKept && neverStarted;
    } else {
      const same = b !== undefined && b.password === a.password;
      password =
        a.password === undefined ? '(none)' : same ? 'unchanged' : 'CHANGED';
      ok = same && stateKept && a.credentialSets === 0;
    }

    return {
      machine: a.machine,
      kind: a.kind,
      name: a.name,
      account: a.account === '' ? '-' : a.account,
      before: b?.state ?? '?',
      after: `${a.state}${a.starts > 0 ? ` (started ${a.starts}x)` : ''}`,
      password,
      ok,
    };
  });

const recordMappings = async (
  opts: GlobalOptions,
  running: RunningFleet,
  out: Output,
) => {
  const inv = requireInventory(opts);
  const { fleet, rotated } = running;
  const plan: ReadonlyArray<[string, ReadonlyArray<string>]> = [
    ['app01', ['service']],
    ['web01', ['task', 'iis']],
  ];
  for (const [key, kinds] of plan) {
    const machine = fleet.machines.get(key);
    if (machine === undefined) {
      throw new Error(`the demo fleet has no ${key}`);
    }
    out.line(
      `$ rotor service add -g ${fleet.gateway.name} -m ${machine.name} -u ${rotated.title} ${kinds.map((k) => `-t ${k}`).join(' ')}`,
    );
    await applyMappingCommand(
      opts,
      inv,
      fleet.gateway.name,
      (meta) => ({
        type: 'AddMapping',
        machineUid: machine.uid,
        userUid: rotated.uid,
        kinds,
        ...meta,
      }),
      out,
    );
  }
};

/** Resolves on the first SIGINT or SIGTERM (and stops listening). */
const untilInterrupted = () =>
  new Promise<void>((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });

/** `rotor demo`: the README's main job. */
export const demoVerb: Verb = (program, global, out) => {
  program
    .command('demo')
    .description(
      'start a simulated Windows fleet on loopback (SSH and WinRM) and rotate a domain account on it',
    )
    .option(
      '--serve',
      'keep serving the fleet after the demo, until Ctrl-C, to try other commands against it',
    )
    .action(async (o: { serve?: boolean }) => {
      const opts = global();
      const running = await startDemoFleet(cliDemoFleet());
      out.line(
        `A simulated fleet runs on 127.0.0.1: ${running.machines
          .map(
            (m) =>
              `${m.name} over ${m.protocol === 'winrm' ? 'WinRM (HTTPS, pinned certificate)' : 'SSH (pinned host key)'}`,
          )
          .join(', ')}.`,
      );
      try {
        writeDemoInventory(opts.inventory, running);
        if (
          (process.env['ROTOR_SECRET_KEY'] ?? '') === '' ||
          opts.secretKeyFile !== undefined
        ) {
          ensureKeyFile(secretPaths(opts).keyFile);
        }
        out.line(
          `Inventory written to ${opts.inventory}; events go to ${opts.store}.`,
        );
        out.line('');
        await recordMappings(opts, running, out);
        const before = snapshotFleet(running.fleet);
        out.line('');
        out.line(`$ rotor rotate -r ${running.rotated.title} --wait`);
        const job = await rotate(
          opts,
          { user: running.rotated.title, wait: true },
          out,
        );
        const secrets = await openSecrets(opts);
        const current = await secrets.current(running.rotated.uid);
        if (E.isLeft(current)) {
          throw new CliError(`secrets: ${current.left.message}`, 1);
        }
        const rows = checkFleet(
          running,
          before,
          snapshotFleet(running.fleet),
          current.right.password,
        );
        const verified = running.fleet.domain?.verify(
          running.rotated.title,
          current.right.password.reveal(),
        );
        const domainOk = verified !== undefined && E.isRight(verified);
        out.line('');
        out.line('Check on the simulated hosts:');
        out.line(
          renderTable(
            [
              'Machine',
              'Kind',
              'Name',
              'Runs as',
              'Before',
              'After',
              'Password',
              'Check',
            ],
            rows.map((r) => [
              r.machine,
              r.kind,
              r.name,
              r.account,
              r.before,
              r.after,
              r.password,
              r.ok ? 'ok' : 'FAIL',
            ]),
          ),
        );
        out.line(
          `Domain account ${running.rotated.login} has the new password: ${domainOk ? 'ok' : 'FAIL'}`,
        );
        const entries = [...running.fleet.hostByKey.values()].flatMap((h) =>
          h.eventLog().map((e) => ({ machine: h.computerName, ...e })),
        );
        const logClean = entries.every(
          (e) => !e.message.includes(current.right.password.reveal()),
        );
        if (entries.length > 0) {
          out.line('');
          out.line(
            "The hosts' Application event log (source rotor), as Event Viewer shows it:",
          );
          out.line(
            renderTable(
              ['Machine', 'Event', 'Type', 'Message'],
              entries.map((e) => [
                e.machine,
                String(e.eventId),
                e.entryType,
                e.message,
              ]),
            ),
          );
          out.line(`No entry holds the password: ${logClean ? 'ok' : 'FAIL'}`);
        }
        const allOk =
          domainOk &&
          logClean &&
          rows.every((r) => r.ok) &&
          job.status === 'finished';
        out.data({
          jobId: job.jobId,
          status: job.status,
          checks: rows,
          domainOk,
          ok: allOk,
        });
        out.line('');
        out.line(
          allOk ? 'Demo passed.' : 'Demo FAILED: see the rows marked FAIL.',
        );
        out.line(
          `The job stays in ${opts.store}: node packages/cli/dist/bin.js job-info ${job.jobId}`,
        );
        if (!allOk) {
          process.exitCode = exitCodes.jobNotClean;
        }
        if (o.serve === true) {
          out.line('');
          out.line(
            'Serving the fleet until Ctrl-C. In another terminal, in this directory, try:',
          );
          out.line(
            `  node ${fileURLToPath(new URL('../bin.js', import.meta.url))} jobs`,
          );
          await untilInterrupted();
        }
      } finally {
        await running.stop();
      }
    });
};
