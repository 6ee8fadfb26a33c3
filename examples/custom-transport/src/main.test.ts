import { describe, expect, it } from 'vitest';
import { demoPasswords } from '@rotor/testkit';
import { main } from './main.js';

describe('the custom transport example', () => {
  it('rotates through the jump host, one tunnelled connection per machine', async () => {
    const { events, fleet, hop, servers } = await main();

    expect(events.at(-1)).toMatchObject({
      type: 'JobFinished',
      data: { status: 'finished' },
    });
    expect(events.filter((e) => e.type === 'MachineFailed')).toEqual([]);
    // Every SSH connection went through the hop, none straight to a host.
    expect(hop.connections('app01.corp.invalid')).toBe(
      servers.get('APP01')?.connections(),
    );
    expect(hop.connections('web01.corp.invalid')).toBe(
      servers.get('WEB01')?.connections(),
    );
    expect(hop.connections('app01.corp.invalid')).toBeGreaterThan(0);
    expect(hop.connections('web01.corp.invalid')).toBeGreaterThan(0);

    const app = fleet.hostByKey.get('app01');
    const next = app?.service('AppSvc')?.password;
    expect(next).not.toBe(demoPasswords['svc-app']);
    expect(app?.service('ReportSvc')?.password).toBe(next);
    expect(fleet.hostByKey.get('web01')?.appPool('AppPool')?.password).toBe(
      next,
    );
  });
});
