import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { InventoryRecordCodec } from '@rotor/core';
import { startService } from './serviceControl.js';
import { demoFleet, demoPasswords } from './demoFleet.js';
import { buildFleet } from './fleet.js';

describe('buildFleet', () => {
  it('builds records that decode, with hosts keyed by machine uid', () => {
    const fleet = demoFleet();
    for (const record of fleet.records) {
      expect(E.isRight(InventoryRecordCodec.decode(record))).toBe(true);
    }
    const app = fleet.machines.get('app01');
    expect(app).toMatchObject({
      name: 'APP01',
      host: 'app01.contoso.com',
      protocol: 'winrm',
      port: 5986,
      os: 'windows',
      gatewayUid: fleet.gateway.uid,
      adminUserUid: fleet.admin.uid,
    });
    expect(fleet.hosts.get(app?.uid ?? '')).toBe(fleet.hostByKey.get('app01'));
    expect(fleet.users.get('svc-app')).toMatchObject({
      login: 'CONTOSO\\svc-app',
      scope: 'domain',
      domain: { netbios: 'CONTOSO', dns: 'contoso.com' },
      passwordHostUid: app?.uid,
    });
    expect(fleet.inventory.get(fleet.gateway.uid)).toBe(fleet.gateway);
  });

  it('gives the demo a consistent starting state', () => {
    const fleet = demoFleet();
    const app = fleet.hostByKey.get('app01');
    expect(fleet.domain?.verify('svc-app', demoPasswords['svc-app'])).toEqual(
      E.right(undefined),
    );
    expect(app?.service('ReportSvc')?.state).toBe('stopped');
    expect(
      app === undefined ? undefined : startService(app, 'ReportSvc'),
    ).toEqual(E.right(undefined));
  });

  it('puts local users on their host, and varies uids by seed', () => {
    const spec = {
      users: [
        {
          key: 'u',
          sam: 'svc-local',
          password: 'p',
          scope: 'local' as const,
          hostKey: 'h',
        },
      ],
      hosts: [{ key: 'h', computerName: 'H1' }],
    };
    const a = buildFleet(spec);
    const b = buildFleet({ ...spec, uidSeed: 7 });
    expect(a.hostByKey.get('h')?.localAccounts.get('svc-local')).toBeDefined();
    expect(a.users.get('u')).toMatchObject({
      login: '.\\svc-local',
      scope: 'local',
      passwordHostUid: a.machines.get('h')?.uid,
    });
    expect(a.gateway.uid).not.toBe(b.gateway.uid);
    expect(() =>
      buildFleet({
        ...spec,
        users: [
          {
            key: 'u',
            sam: 's',
            password: 'p',
            scope: 'domain',
            passwordHostKey: 'x',
          },
        ],
      }),
    ).toThrow(/unknown host/);
  });
});
