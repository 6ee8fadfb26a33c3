import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mapDemo, startCli, type CliFixture } from '../test/cliHarness.js';
import { pinoLogger, safeAttributes } from './logging.js';

const linesOf = (file: string): Array<Record<string, unknown>> =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('pinoLogger', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rotor-log-'));
  afterEach(() => rmSync(join(dir, 'log.jsonl'), { force: true }));

  it('writes one JSON line per record at or above its level', () => {
    const file = join(dir, 'log.jsonl');
    const logger = pinoLogger({ level: 'info', file });
    logger.debug('engine.job.recorded', { job: 'j1' });
    logger.info('engine.job.started', { job: 'j1', status: 'scheduled' });
    logger.warn('ssh.connect.failed', { machine: 'm1', attempt: 2 });
    logger.close();
    const lines = linesOf(file);
    expect(lines.map((l) => [l['level'], l['event']])).toEqual([
      ['info', 'engine.job.started'],
      ['warn', 'ssh.connect.failed'],
    ]);
    expect(lines[0]).toMatchObject({
      name: 'rotor',
      job: 'j1',
      status: 'scheduled',
    });
    expect(lines[1]).toMatchObject({ machine: 'm1', attempt: 2 });
    expect(String(lines[0]?.['time'])).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('never writes the value of an attribute named like a secret', () => {
    expect(
      safeAttributes({
        job: 'j1',
        password: 'hunter2',
        newPassword: 'x',
        clientSecret: 'y',
        skipped: undefined,
      }),
    ).toEqual({
      job: 'j1',
      password: '[redacted]',
      newPassword: '[redacted]',
      clientSecret: '[redacted]',
    });
  });
});

let cli: CliFixture | undefined;

afterEach(async () => {
  await cli?.stop();
  cli = undefined;
});

describe('--log-level and --log-file', () => {
  it('logs a rotation at debug level with job and machine ids, and no password', async () => {
    cli = await startCli();
    await mapDemo(cli);
    const file = join(cli.dir, 'rotor.log');
    const job = await cli.json<{ jobId: string; status: string }>(
      '--log-level',
      'debug',
      '--log-file',
      file,
      'rotate',
      '-r',
      'svc-app',
    );
    expect(job.status).toBe('finished');
    const text = readFileSync(file, 'utf8');
    const lines = linesOf(file);
    const events = new Set(lines.map((l) => l['event']));
    expect(events).toContain('engine.job.started');
    expect(events).toContain('store.sqlite.opened');
    expect(
      lines.some(
        (l) => l['event'] === 'engine.job.started' && l['job'] === job.jobId,
      ),
    ).toBe(true);
    const app01 = cli.running.machines.find((m) => m.name === 'APP01');
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'info',
        event: 'job.ServiceRestarted',
        job: job.jobId,
        machine: app01?.uid,
        dependent: 'AppSvc',
      }),
    );
    expect(events).toContain('windows.operation.finished');
    const machineUids = cli.running.machines.map((m) => m.uid);
    expect(lines.some((l) => machineUids.some((u) => u === l['machine']))).toBe(
      true,
    );
    // The new password is what the simulated service now holds.
    const app = cli.running.fleet.hostByKey.get('app01');
    const svc = [...(app?.services.values() ?? [])].find(
      (s) => s.name === 'AppSvc',
    );
    const newPassword = svc?.password ?? '';
    expect(newPassword).not.toBe('Old-Passw0rd!');
    expect(newPassword.length).toBeGreaterThan(8);
    for (const secret of [newPassword, 'Old-Passw0rd!', 'admin-password']) {
      expect(text).not.toContain(secret);
    }
  });

  it('writes nothing below warn by default', async () => {
    cli = await startCli();
    await mapDemo(cli);
    const file = join(cli.dir, 'rotor.log');
    const r = await cli.run('--log-file', file, 'rotate', '-r', 'svc-app');
    expect(r.code).toBe(0);
    const levels = existsSync(file) ? linesOf(file).map((l) => l['level']) : [];
    expect(levels.filter((l) => l === 'debug' || l === 'info')).toEqual([]);
    // Without --log-file the lines go to stderr: none for a clean run.
    const again = await cli.run('rotate', '-r', 'svc-app');
    expect(again.code).toBe(0);
    expect(again.log).toBe('');
    const debug = await cli.run('--log-level', 'debug', 'jobs');
    expect(debug.log).toContain('"event":"store.sqlite.opened"');
  });

  it('refuses an unknown level', async () => {
    cli = await startCli();
    const r = await cli.run('--log-level', 'chatty', 'jobs');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      "argument 'chatty' is invalid. Allowed choices are debug, info, warn, error",
    );
  });
});
