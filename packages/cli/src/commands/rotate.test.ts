// `rotate --dry-run`, `--preflight`, `--no-restart` + `restart`, `retry`
// and `--external`, through the CLI against the demo fleet over SSH.
import { operationOfScript } from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';
import { afterEach, describe, expect, it } from 'vitest';
import {
  mapDemo,
  refusal,
  startCli,
  type CliFixture,
} from '../../test/cliHarness.js';
import { demoPasswords } from '@rotor/testkit';

let cli: CliFixture | undefined;

afterEach(async () => {
  await cli?.stop();
  cli = undefined;
});

const app = (c: CliFixture) => {
  const host = c.running.fleet.hostByKey.get('app01');
  if (host === undefined) {
    throw new Error('no app01');
  }

  return host;
};

const oldPassword = demoPasswords['svc-app'];

const domainHas = (c: CliFixture, password: string) =>
  E.isRight(c.running.fleet.domain?.verify('svc-app', password) ?? E.left(0));

describe('rotate --dry-run', () => {
  it('prints the plan per machine and changes and records nothing', async () => {
    cli = await startCli();
    await mapDemo(cli);
    const text = await cli.run('rotate', '-r', 'svc-app', '--dry-run');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Nothing is changed or recorded');
    const data = await cli.json<{
      rows: Array<{ machine: string; action: string; dependent: string }>;
    }>('rotate', '-r', 'svc-app', '--dry-run');
    const rows = data.rows.map(
      (r) => `${r.machine} ${r.action} ${r.dependent}`,
    );
    expect(rows).toEqual(
      expect.arrayContaining([
        'APP01 set password AppSvc',
        'APP01 set password ReportSvc',
        'APP01 restart AppSvc',
        'APP01 no restart (not running) ReportSvc',
        'WEB01 set password \\App\\Nightly',
        'WEB01 set password AppPool',
        'WEB01 recycle AppPool',
      ]),
    );
    expect(rows).toHaveLength(7);
    expect(domainHas(cli, oldPassword)).toBe(true);
    expect(
      app(cli).counters({ kind: 'service', name: 'AppSvc' }),
    ).toMatchObject({ credentialSets: 0, starts: 0 });
    const jobs = await cli.json<{ jobs: unknown[] }>('jobs');
    expect(jobs.jobs).toEqual([]);
  });
});

describe('rotate --preflight', () => {
  it('changes nothing when a machine fails, and says which and why', async () => {
    cli = await startCli({
      intercept: (computer, request) =>
        computer === 'WEB01' &&
        operationOfScript(request.script) === 'enumerate-dependents'
          ? refusal(5, 'ERROR_ACCESS_DENIED', 'Access is denied.')
          : undefined,
    });
    await mapDemo(cli);
    const r = await cli.run('rotate', '-r', 'svc-app', '--preflight', '--wait');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('pre-flight FAILED');
    expect(r.stdout).toMatch(/WEB01: ERROR_ACCESS_DENIED/);
    expect(r.stdout).toContain('Status            : failed');
    expect(domainHas(cli, oldPassword)).toBe(true);
    expect(
      app(cli).counters({ kind: 'service', name: 'AppSvc' }),
    ).toMatchObject({ credentialSets: 0 });
  });

  it('rotates after every machine passed', async () => {
    cli = await startCli();
    await mapDemo(cli);
    const r = await cli.run('rotate', '-r', 'svc-app', '--preflight', '--wait');
    expect(r.stdout).toContain('pre-flight passed: 2 machine(s)');
    expect(r.code).toBe(0);
    expect(domainHas(cli, oldPassword)).toBe(false);
  });
});

describe('rotate --no-restart, then rotor restart', () => {
  it('defers restarts and does them later, only for services that ran', async () => {
    cli = await startCli();
    await mapDemo(cli);
    const job = await cli.json<{ jobId: string; status: string }>(
      'rotate',
      '-r',
      'svc-app',
      '--no-restart',
    );
    expect(job.status).toBe('finished');
    const host = app(cli);
    expect(host.counters({ kind: 'service', name: 'AppSvc' })).toMatchObject({
      credentialSets: 1,
      starts: 0,
    });
    const restarted = await cli.run('restart', job.jobId, '--wait');
    expect(restarted.code).toBe(0);
    expect(restarted.stdout).toContain('AppSvc: restarted');
    expect(host.counters({ kind: 'service', name: 'AppSvc' }).starts).toBe(1);
    expect(host.counters({ kind: 'service', name: 'ReportSvc' }).starts).toBe(
      0,
    );
    expect(host.service('ReportSvc')?.state).toBe('stopped');

    const again = await cli.run('restart', job.jobId);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('no deferred, halted or failed restart');
  });

  it('refuses an unknown job and changes nothing', async () => {
    cli = await startCli();
    const r = await cli.run('restart', 'AAAAAAAAAAAAAAAAAAAAAA');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no job AAAAAAAAAAAAAAAAAAAAAA');
  });
});

describe('rotor retry', () => {
  it('runs again only what failed, with the password of that job', async () => {
    let broken = true;
    cli = await startCli({
      intercept: (computer, request) =>
        broken &&
        computer === 'WEB01' &&
        operationOfScript(request.script) === 'set-apppool-credential'
          ? refusal(5, 'ERROR_ACCESS_DENIED', 'Access is denied.')
          : undefined,
    });
    await mapDemo(cli);
    const job = await cli.json<{ jobId: string; status: string }>(
      'rotate',
      '-r',
      'svc-app',
    );
    expect(job.status).toBe('finished-with-errors');
    const web = cli.running.fleet.hostByKey.get('web01');
    const pool = () => web?.appPool('AppPool');
    const nightly = () => web?.task('\\App\\Nightly');
    expect(pool()?.password).toBe(oldPassword);
    const newPassword = nightly()?.password;
    expect(newPassword).not.toBe(oldPassword);

    const noFix = await cli.run('retry', job.jobId);
    expect(noFix.code).toBe(1);
    broken = false;
    const sets = app(cli).counters({
      kind: 'service',
      name: 'AppSvc',
    }).credentialSets;
    const retried = await cli.json<{ status: string; jobId: string }>(
      'retry',
      job.jobId,
    );
    expect(retried).toMatchObject({ jobId: job.jobId, status: 'finished' });
    expect(pool()?.password).toBe(newPassword);
    expect(
      app(cli).counters({ kind: 'service', name: 'AppSvc' }).credentialSets,
    ).toBe(sets);

    const nothing = await cli.run('retry', job.jobId);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain('no failed dependent or machine');
  });
});

describe('rotate --external', () => {
  it('propagates a password changed elsewhere without changing the account', async () => {
    cli = await startCli();
    await mapDemo(cli);
    const elsewhere = 'Changed-Elsewhere-1!';
    cli.running.fleet.domain?.setPassword('svc-app', elsewhere);
    process.env['ROTOR_TEST_EXTERNAL'] = elsewhere;
    try {
      const r = await cli.run(
        'rotate',
        '-r',
        'svc-app',
        '--external',
        '--new-password-env',
        'ROTOR_TEST_EXTERNAL',
        '--wait',
      );
      expect(r.stdout).toContain('by external');
      expect(r.code).toBe(0);
      expect(r.stdout).not.toContain(elsewhere);
    } finally {
      delete process.env['ROTOR_TEST_EXTERNAL'];
    }
    expect(domainHas(cli, elsewhere)).toBe(true);
    expect(app(cli).service('AppSvc')?.password).toBe(elsewhere);
    expect(app(cli).service('AppSvc')?.state).toBe('running');
  });
});
