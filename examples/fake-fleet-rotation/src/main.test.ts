import { describe, expect, it } from 'vitest';
import { demoPasswords } from '@rotor/testkit';
import { main } from './main.js';

describe('the fake fleet rotation example', () => {
  it('prints each event of the rotation as it happens, then a summary', async () => {
    const lines: string[] = [];
    const { exitCode, outcome } = await main((line) => lines.push(line));

    expect(exitCode).toBe(0);
    expect(lines[0]).toBe('rotating CONTOSO\\svc-app on APP01, WEB01');
    // One line per event, in the order they were appended.
    const eventLines = lines.slice(1, -1);
    expect(eventLines).toHaveLength(outcome.events.length);
    expect(eventLines.map((l) => Number(/^#(\d+) /.exec(l)?.[1]))).toEqual(
      outcome.events.map((e) => e.revision),
    );
    expect(eventLines[0]).toBe('#1 PasswordChanged');
    expect(eventLines.at(-1)).toBe(
      `#${outcome.events.length} JobFinished: finished`,
    );
    // Machines are worked on in parallel: these lines come in some order.
    expect(eventLines.map((l) => l.replace(/^#\d+ /, ''))).toEqual(
      expect.arrayContaining([
        'DependentsFound APP01: 2 dependent(s)',
        'DependentsFound WEB01: 2 dependent(s)',
        'ServiceCredentialUpdated APP01 AppSvc',
        'ServiceCredentialUpdated APP01 ReportSvc',
        'TaskCredentialUpdated WEB01 \\App\\Nightly',
        'AppPoolCredentialUpdated WEB01 AppPool',
        'ServiceRestarted APP01 AppSvc (and AppWorker)',
        'ServiceRestartSkipped APP01 ReportSvc (not-running)',
        'AppPoolRecycled WEB01 AppPool',
      ]),
    );
    expect(lines.at(-1)).toBe(
      `job ${outcome.jobId} finished: 2/2 machines, 4 dependents: ` +
        '4 updated, 1 restarted, 1 recycled, 1 skipped, 0 failed',
    );

    // The simulated hosts agree with what was printed.
    const app = outcome.fleet.hostByKey.get('app01');
    const web = outcome.fleet.hostByKey.get('web01');
    const next = app?.service('AppSvc')?.password;
    expect(next).not.toBe(demoPasswords['svc-app']);
    expect(app?.service('ReportSvc')).toMatchObject({
      state: 'stopped',
      password: next,
    });
    expect(app?.service('AppWorker')?.state).toBe('running');
    expect(app?.service('OtherSvc')?.password).toBe(demoPasswords['svc-other']);
    expect(web?.task('\\App\\Nightly')?.password).toBe(next);
    expect(web?.appPool('AppPool')?.password).toBe(next);
    // Nothing printed holds the new password.
    expect(lines.join('\n')).not.toContain(next);
  });
});
