// Canary restarts through the CLI: a password the domain does not have yet
// (not replicated) fails the first restart with 1069 and halts the rest;
// `rotor restart` resumes them once the domain has it.
import { buildFleet, demoFleetSpec, type FleetSpec } from '@rotor/testkit';
import { afterEach, describe, expect, it } from 'vitest';
import { mapDemo, startCli, type CliFixture } from '../../test/cliHarness.js';

let cli: CliFixture | undefined;

afterEach(async () => {
  await cli?.stop();
  cli = undefined;
});

const extra = (name: string) => ({
  name,
  state: 'running' as const,
  startMode: 'auto' as const,
  account: 'CONTOSO\\svc-app',
  password: demoPasswords,
});

import { demoPasswords as passwords } from '@rotor/testkit';
const demoPasswords = passwords['svc-app'];

const spec: FleetSpec = {
  ...demoFleetSpec,
  hosts: demoFleetSpec.hosts.map((h) => ({
    ...h,
    services: [
      ...(h.services ?? []),
      extra(`${h.computerName}-Extra1`),
      extra(`${h.computerName}-Extra2`),
    ],
  })),
};

describe('canary restarts', () => {
  it('halts the other restarts on a logon failure, under the lockout threshold, and resumes them', async () => {
    cli = await startCli({ fleet: buildFleet(spec) });
    await mapDemo(cli);
    const gw = cli.running.fleet.gateway.name;
    await cli.run(
      'service',
      'add',
      '-g',
      gw,
      '-m',
      'WEB01',
      '-u',
      'svc-app',
      '-t',
      'service',
    );
    const notReplicated = 'Not-Replicated-Yet-1!';
    process.env['ROTOR_TEST_CANARY'] = notReplicated;
    let jobId: string;
    try {
      const job = await cli.json<{
        jobId: string;
        status: string;
        dependents: Array<{ name: string; outcome: string }>;
      }>(
        'rotate',
        '-r',
        'svc-app',
        '--external',
        '--new-password-env',
        'ROTOR_TEST_CANARY',
        '--lockout-threshold',
        '5',
      );
      jobId = job.jobId;
      expect(job.status).toBe('finished-with-errors');
      const failed = job.dependents.filter((d) =>
        d.outcome.startsWith('FAILED'),
      );
      const halted = job.dependents.filter((d) => d.outcome.includes('HALTED'));
      // The canary restart fails with 1069; the task's update fails too,
      // because Windows checks a task's password when it is stored.
      expect(failed).toHaveLength(2);
      expect(failed.map((d) => d.outcome).join('\n')).toMatch(
        /FAILED at restart: ERROR_SERVICE_LOGON_FAILED/,
      );
      expect(failed.some((d) => d.name === '\\App\\Nightly')).toBe(true);
      // Every other restart, and the pool's recycle, was halted.
      expect(halted).toHaveLength(5);
    } finally {
      delete process.env['ROTOR_TEST_CANARY'];
    }
    const account = cli.running.fleet.domain?.accounts.get('svc-app');
    // One bad logon for the canary, one for the task: under the threshold.
    expect(account?.badLogons).toBe(2);
    expect(account?.locked).toBe(false);

    // The domain catches up; the halted restarts (and the canary) resume.
    cli.running.fleet.domain?.setPassword('svc-app', notReplicated);
    const resumed = await cli.json<{
      status: string;
      counts: { restarted: number; failed: number };
    }>('restart', jobId);
    // The halted restarts, the recycle and the canary (stopped by its own
    // failed start, and running before the job) are done; the task's failed
    // update is for `retry`.
    expect(resumed.counts).toMatchObject({
      restarted: 5,
      recycled: 1,
      failed: 1,
    });
    const retried = await cli.json<{
      dependents: Array<{ name: string; outcome: string }>;
    }>('retry', jobId);
    expect(
      retried.dependents.find((d) => d.name === '\\App\\Nightly')?.outcome,
    ).toBe('password set');
    const history = await cli.run('history', '-u', 'svc-app');
    expect(history.stdout).toContain('reopened 2x');
    expect(history.stdout).not.toContain(notReplicated);
  });
});
