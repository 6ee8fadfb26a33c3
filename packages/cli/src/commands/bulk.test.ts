// `rotate` of several users: `-r a -r b`, `-r a,b`, `--all -g <gw>`, with
// `--max-jobs`, through the CLI against the CLI demo's fleet (two users).
import { demoPasswords } from '@rotor/testkit';
import { operationOfScript } from '@rotor/windows';
import { cliDemoFleet, type DemoIntercept } from './demoFleet.js';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  mapDemo,
  refusal,
  startCli,
  type CliFixture,
  type CliRun,
} from '../../test/cliHarness.js';

let cli: CliFixture | undefined;

afterEach(async () => {
  await cli?.stop();
  cli = undefined;
});

const start = async (intercept?: DemoIntercept) => {
  const c = await startCli({
    fleet: cliDemoFleet(),
    ...(intercept === undefined ? {} : { intercept }),
  });
  await mapDemo(c);
  const add = await c.run(
    'service',
    'add',
    '-g',
    c.running.fleet.gateway.name,
    '-u',
    'svc-other',
    '-m',
    'APP01',
    '-t',
    'service',
  );
  expect(add.code).toBe(0);

  return c;
};

const verifies = (c: CliFixture, sam: string, password: string) =>
  E.isRight(c.running.fleet.domain?.verify(sam, password) ?? E.left(0));

interface Rows {
  readonly jobs: ReadonlyArray<{ user: string; status: string }>;
}

const jobsOf = async (c: CliFixture) =>
  (await c.json<{ jobs: unknown[] }>('jobs')).jobs;

describe('rotate with several users', () => {
  it('rotates each user in its own job and prints a summary row per job', async () => {
    cli = await start();
    const r: CliRun = await cli.run(
      'rotate',
      '-r',
      'svc-app',
      '-r',
      'svc-other',
      '--max-jobs',
      '1',
      '--wait',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/\[svc-app\] APP01: AppSvc: restarted/);
    expect(r.stdout).toMatch(/\[svc-other\] APP01: OtherSvc: restarted/);
    expect(r.stdout).toMatch(/Job ID\s+User\s+Status\s+Duration\s+Message/);
    expect(r.stdout).toMatch(/svc-app\s+finished/);
    expect(r.stdout).toMatch(/svc-other\s+finished/);
    expect(verifies(cli, 'svc-app', demoPasswords['svc-app'])).toBe(false);
    expect(verifies(cli, 'svc-other', demoPasswords['svc-other'])).toBe(false);
    expect(await jobsOf(cli)).toHaveLength(2);
  });

  it('takes a comma list, and --all -g rotates every mapped user', async () => {
    cli = await start();
    const listed = await cli.json<Rows>('rotate', '-r', 'svc-app,svc-other');
    expect(listed.jobs.map((j) => `${j.user} ${j.status}`).sort()).toEqual([
      'svc-app finished',
      'svc-other finished',
    ]);
    const gw = cli.running.fleet.gateway.name;
    const all = await cli.json<Rows>('rotate', '--all', '-g', gw);
    expect(all.jobs.map((j) => j.user).sort()).toEqual([
      'svc-app',
      'svc-other',
    ]);
    expect(await jobsOf(cli)).toHaveLength(4);
  });

  it('exits non-zero when one job does not finish cleanly, and still runs the others', async () => {
    cli = await start((computer, request) =>
      computer === 'APP01' &&
      operationOfScript(request.script) === 'set-service-credential' &&
      request.input.includes('OtherSvc')
        ? refusal(5, 'ERROR_ACCESS_DENIED', 'Access is denied.')
        : undefined,
    );
    const r = await cli.run('rotate', '-r', 'svc-app,svc-other');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/svc-app\s+finished\s/);
    expect(r.stdout).toMatch(/svc-other\s+finished-with-errors/);
  });

  it('refuses the whole list when one user cannot be rotated, and schedules nothing', async () => {
    cli = await start();
    const r = await cli.run('rotate', '-r', 'svc-app', '-r', 'nobody');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nothing was scheduled');
    expect(r.stderr).toContain('nobody');
    expect(await jobsOf(cli)).toEqual([]);
    expect(verifies(cli, 'svc-app', demoPasswords['svc-app'])).toBe(true);
  });

  it('says what is missing for --all without a gateway, or -r with --all', async () => {
    cli = await start();
    const noGateway = await cli.run('rotate', '--all');
    expect(noGateway.code).toBe(2);
    expect(noGateway.stderr).toContain('--all needs -g <gateway>');
    const both = await cli.run('rotate', '--all', '-r', 'svc-app', '-g', 'x');
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('either -r <user>… or --all');
    const none = await cli.run('rotate');
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('name the user(s) to rotate');
    expect(await jobsOf(cli)).toEqual([]);
  });
});
