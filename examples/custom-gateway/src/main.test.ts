import { describe, expect, it } from 'vitest';
import { demoPasswords } from '@rotor/testkit';
import { main, type LogLine } from './main.js';

describe('the custom gateway example', () => {
  it('rotates over SSH and WinRM with a SQLite store, logging progress to the app', async () => {
    const lines: LogLine[] = [];
    const { events, fleet } = await main(lines);

    expect(events.at(-1)).toMatchObject({
      type: 'JobFinished',
      data: { status: 'finished' },
    });
    const app = fleet.hostByKey.get('app01');
    const web = fleet.hostByKey.get('web01');
    const next = app?.service('AppSvc')?.password;
    expect(next).toBeDefined();
    expect(next).not.toBe(demoPasswords['svc-app']);
    // APP01 was reached over SSH, WEB01 over WinRM: both hold the new one.
    expect(app?.service('ReportSvc')).toMatchObject({
      state: 'stopped',
      password: next,
    });
    expect(web?.task('\\App\\Nightly')?.password).toBe(next);
    expect(web?.appPool('AppPool')?.password).toBe(next);

    // Every appended event went to the application's logger, in order.
    const progress = lines.filter((l) => l.name === 'rotation.progress');
    expect(progress.map((l) => l.attributes['event'])).toEqual(
      events.map((e) => e.type),
    );
    // rotor's own records reached the same logger, and no password did.
    expect(lines.some((l) => l.name.startsWith('engine.'))).toBe(true);
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain(next);
    expect(logged).not.toContain(demoPasswords['svc-app']);
  });
});
