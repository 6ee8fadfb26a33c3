import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { Client } from 'ldapts';
import { lastValueFrom, toArray } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Secret,
  createEngine,
  createMemoryEventStore,
  createMemorySecretStore,
  jobStream,
  nodeRandom,
  systemClock,
  testUid,
  type User,
} from '@rotor/core';
import {
  buildFleet,
  createSimTransport,
  sambaDirectory,
  sambaSkipReason,
  startService,
  startThrowawaySamba,
  type Fleet,
  type ThrowawaySamba,
} from '@rotor/testkit';
import { createWindowsHost } from '@rotor/windows';
import { createAdAccountRotator } from './adRotator.js';

const skip = sambaSkipReason();
if (skip !== undefined) {
  console.warn(`skipping the engine-with-Active-Directory suite: ${skip}`);
}

// The engine rotates a domain account whose password lives in a real DC
// (Samba): the simulated hosts are joined to a domain whose every logon is
// an LDAPS bind at that DC, so a service starts only with the DC's
// current password.
describe.skipIf(skip !== undefined)('the engine against Samba AD', () => {
  let dc: ThrowawaySamba;
  const initial = Secret.of('Svc!Initial-Pw1');

  beforeAll(async () => {
    dc = await startThrowawaySamba({
      policy: {
        complexity: true,
        minLength: 7,
        history: 24,
        minAgeDays: 0,
        lockoutThreshold: 3,
        lockoutDurationMinutes: 5,
        resetLockoutAfterMinutes: 5,
      },
    });
    await dc.tool.createUser('svc-app', initial);
  }, 120_000);

  afterAll(async () => {
    await dc?.stop();
  });

  const fleetOf = (): Fleet =>
    buildFleet({
      domain: {
        netbios: dc.netbios,
        dns: dc.dnsDomain,
        directory: sambaDirectory(dc),
      },
      users: [
        {
          key: 'svc-app',
          sam: 'svc-app',
          // the DC holds the password; the simulated book only names it
          password: '',
          scope: 'domain',
        },
      ],
      hosts: [
        {
          key: 'app01',
          computerName: 'APP01',
          services: [
            {
              name: 'AppSvc',
              state: 'running',
              startMode: 'auto',
              account: `${dc.netbios}\\svc-app`,
              password: initial.reveal(),
            },
            {
              name: 'AppWorker',
              state: 'running',
              startMode: 'auto',
              account: 'LocalSystem',
              dependsOn: ['AppSvc'],
            },
            {
              name: 'ReportSvc',
              state: 'stopped',
              startMode: 'manual',
              account: `svc-app@${dc.dnsDomain}`,
              password: initial.reveal(),
            },
          ],
        },
        {
          // not a target of the job: keeps the old password
          key: 'forgotten',
          computerName: 'OLD01',
          services: [
            {
              name: 'LegacySvc',
              state: 'stopped',
              startMode: 'manual',
              account: `${dc.netbios}\\svc-app`,
              password: initial.reveal(),
            },
            {
              name: 'TypoSvc',
              state: 'stopped',
              startMode: 'manual',
              account: `${dc.netbios}\\svc-app`,
              password: 'Typo!Passw0rd-9',
            },
          ],
        },
      ],
    });

  const badPwdCount = async (sam: string): Promise<number> => {
    const client = new Client({
      url: dc.ldapsUrl,
      tlsOptions: { ca: [await readFile(dc.caFile)] },
    });
    try {
      await client.bind(dc.adminDn, dc.adminPassword.reveal());
      const { searchEntries } = await client.search(dc.baseDn, {
        filter: `(sAMAccountName=${sam})`,
        attributes: ['badPwdCount'],
      });

      return Number(searchEntries[0]?.['badPwdCount'] ?? 0);
    } finally {
      await client.unbind();
    }
  };

  const start = (fleet: Fleet, hostKey: string, service: string) => {
    const host = fleet.hostByKey.get(hostKey);
    if (host === undefined) {
      throw new Error(`no host ${hostKey}`);
    }

    return startService(host, service);
  };

  const stopThenStart = (fleet: Fleet, hostKey: string, service: string) => {
    const s = fleet.hostByKey.get(hostKey)?.service(service);
    if (s !== undefined) {
      s.state = 'stopped';
    }

    return start(fleet, hostKey, service);
  };

  it('rotates the password in the DC and the services log on with it', async () => {
    const fleet = fleetOf();
    const user = fleet.users.get('svc-app') as User;
    const app01 = fleet.machines.get('app01');
    if (app01 === undefined) {
      throw new Error('no app01');
    }
    // before: a logon through the simulated host is a bind at the DC
    expect(fleet.domain?.verify('svc-app', initial.reveal())).toEqual(
      E.right(undefined),
    );

    const store = createMemoryEventStore();
    const secrets = createMemorySecretStore({ [user.uid]: initial.reveal() });
    const jobId = testUid('ad-job-1');
    await store.append(
      jobStream(jobId),
      [
        {
          type: 'RotationScheduled',
          data: {
            jobId,
            gatewayUid: fleet.gateway.uid,
            userUid: user.uid,
            targets: [
              { machineUid: app01.uid, kinds: ['service', 'task', 'iis'] },
            ],
            options: { external: false, restart: true },
            by: 'tester',
            at: new Date().toISOString(),
          },
        },
      ],
      'no-stream',
    );
    const engine = createEngine({
      store,
      host: createWindowsHost(
        createSimTransport({
          hosts: fleet.hosts,
          delay: () => Promise.resolve(),
        }),
      ),
      secrets,
      rotator: createAdAccountRotator({
        url: dc.ldapsUrl,
        caFile: dc.caFile,
        bindDn: dc.adminDn,
        bindPassword: dc.adminPassword,
        baseDn: dc.baseDn,
        mode: 'reset',
      }),
      inventory: fleet.inventory,
      clock: systemClock,
      random: nodeRandom,
    });
    const events = await lastValueFrom(engine.run(jobId).pipe(toArray()));
    const types = events.map((e) => e.type);
    expect(types).toContain('PasswordChanged');
    expect(types).not.toContain('PasswordChangeFailed');
    expect(types.at(-1)).toBe('JobFinished');
    expect(events.at(-1)?.data).toMatchObject({
      status: 'finished',
      counts: { machinesFailed: 0, updated: 2, restarted: 1, failed: 0 },
    });
    // no password in any event
    const current = await secrets.current(user.uid);
    if (E.isLeft(current)) {
      throw new Error('no current password');
    }
    const next = current.right.password;
    expect(current.right.version).toBe(2);
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(
      next.reveal(),
    );

    // the DC has the new password; the old one no longer binds
    expect(dc.bindSync(`${dc.netbios}\\svc-app`, next)).toEqual(
      E.right(undefined),
    );
    expect(dc.bindSync(`${dc.netbios}\\svc-app`, initial)).toMatchObject(
      E.left({ ldapCode: 49, data: '52e' }),
    );

    // the services hold the new password and were restarted against the DC
    const host = fleet.hostByKey.get('app01');
    expect(host?.service('AppSvc')?.password).toBe(next.reveal());
    expect(host?.service('AppSvc')?.state).toBe('running');
    expect(host?.service('AppWorker')?.state).toBe('running');
    expect(host?.service('ReportSvc')?.state).toBe('stopped');
    expect(host?.service('ReportSvc')?.password).toBe(next.reveal());
    expect(start(fleet, 'app01', 'ReportSvc')).toEqual(E.right(undefined));
    expect(host?.service('ReportSvc')?.state).toBe('running');

    // A service left with the old password fails with 1069 at the DC, but
    // like Windows, the DC does not count a bad logon for one of the two
    // previous passwords, so it does not lock the account out.
    // (ReportSvc's good logon just reset the count of the bind above.)
    expect(await badPwdCount('svc-app')).toBe(0);
    for (let i = 0; i < 4; i++) {
      expect(start(fleet, 'forgotten', 'LegacySvc')).toMatchObject(
        E.left({ code: 1069, underlying: 1326 }),
      );
    }
    expect(await badPwdCount('svc-app')).toBe(0);
    // A service with a wrong password counts a bad logon per start at the
    // DC, and the third locks the account out (threshold 3).
    for (let i = 1; i <= 3; i++) {
      expect(start(fleet, 'forgotten', 'TypoSvc')).toMatchObject(
        E.left({ code: 1069, underlying: 1326 }),
      );
      expect(await badPwdCount('svc-app')).toBe(i);
    }
    // locked out at the DC: now even the right password is refused
    expect(dc.bindSync(`${dc.netbios}\\svc-app`, next)).toMatchObject(
      E.left({ data: '775' }),
    );
    expect(fleet.domain?.verify('svc-app', next.reveal())).toMatchObject(
      E.left({ code: 1909 }),
    );
    expect(stopThenStart(fleet, 'app01', 'ReportSvc')).toMatchObject(
      E.left({ code: 1069, underlying: 1909 }),
    );
    await dc.tool.unlock('svc-app');
    expect(dc.bindSync(`${dc.netbios}\\svc-app`, next)).toEqual(
      E.right(undefined),
    );
  });
});
