import * as E from 'fp-ts/lib/Either.js';
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
  type Transport,
  type User,
} from '@rotor/core';
import {
  buildFleet,
  sambaDirectory,
  sambaSkipReason,
  startSimWinrmServer,
  startThrowawaySamba,
  type SimWinrmServer,
  type ThrowawaySamba,
} from '@rotor/testkit';
import { createWinrmTransport } from '@rotor/transport-winrm';
import { createWindowsHost } from '@rotor/windows';
import { createAdAccountRotator } from './adRotator.js';

const skip = sambaSkipReason();
if (skip !== undefined) {
  console.warn(`skipping the rotation over WinRM with Kerberos: ${skip}`);
}

// End to end: the engine rotates a domain account in a Samba DC over
// LDAPS, and reaches the simulated host over WinRM (HTTPS), logging on as
// a domain administrator with a Kerberos ticket the DC issued.
describe.skipIf(skip !== undefined)(
  'a rotation over WinRM with Kerberos',
  () => {
    const serviceHost = 'app01.corp.example';
    const initial = Secret.of('Svc!Initial-Pw1');
    const adminPassword = Secret.of('WinRM!Admin-Pw2');
    let dc: ThrowawaySamba;
    let server: SimWinrmServer | undefined;

    beforeAll(async () => {
      dc = await startThrowawaySamba({ kerberosServices: [serviceHost] });
      await dc.tool.createUser('svc-app', initial);
      await dc.tool.createUser('winrm-admin', adminPassword);
      process.env['KRB5_CONFIG'] = dc.krb5Config;
    }, 150_000);

    afterAll(async () => {
      await server?.stop();
      await dc?.stop();
    });

    it('changes the password in the DC and on the host reached over WinRM', async () => {
      const fleet = buildFleet({
        domain: {
          netbios: dc.netbios,
          dns: dc.dnsDomain,
          directory: sambaDirectory(dc),
        },
        users: [
          { key: 'svc-app', sam: 'svc-app', password: '', scope: 'domain' },
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
            ],
          },
        ],
      });
      const user = fleet.users.get('svc-app') as User;
      const app01 = fleet.machines.get('app01');
      const simHost = fleet.hostByKey.get('app01');
      const service = dc.kerberosServices[0];
      if (
        app01 === undefined ||
        simHost === undefined ||
        service === undefined
      ) {
        throw new Error('the fleet or the DC is incomplete');
      }
      const winrm = await startSimWinrmServer({
        host: simHost,
        users: [{ username: 'winrm-admin', password: Secret.of('not-ntlm') }],
        basic: false,
        kerberos: service,
      });
      server = winrm;
      const overWinrm = createWinrmTransport({
        credentials: () =>
          Promise.resolve(
            E.right({
              username: `winrm-admin@${dc.dnsDomain}`,
              password: adminPassword,
              authentication: 'kerberos' as const,
              kerberos: {
                servicePrincipal: service.servicePrincipal,
                config: dc.krb5Config,
              },
            }),
          ),
        connectTimeoutMs: 10_000,
      });
      // The inventory's machine, reached at the simulated server's address.
      const transport: Transport = {
        run: (machine, command, options) =>
          overWinrm.run(
            {
              ...machine,
              host: winrm.host,
              port: winrm.port,
              trust: { certificateFingerprint: winrm.certificateFingerprint },
            },
            command,
            options,
          ),
        close: overWinrm.close,
      };

      const store = createMemoryEventStore();
      const secrets = createMemorySecretStore({ [user.uid]: initial.reveal() });
      const jobId = testUid('ad-winrm-job');
      await store.append(
        jobStream(jobId),
        [
          {
            type: 'RotationScheduled',
            data: {
              jobId,
              gatewayUid: fleet.gateway.uid,
              userUid: user.uid,
              targets: [{ machineUid: app01.uid, kinds: ['service'] }],
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
        host: createWindowsHost(transport),
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
      try {
        const events = await lastValueFrom(engine.run(jobId).pipe(toArray()));
        expect(events.at(-1)?.data).toMatchObject({
          status: 'finished',
          counts: { machinesFailed: 0, updated: 1, restarted: 1, failed: 0 },
        });
      } finally {
        await transport.close();
      }
      const current = await secrets.current(user.uid);
      if (E.isLeft(current)) {
        throw new Error('no current password');
      }
      const next = current.right.password;
      expect(dc.bindSync(`${dc.netbios}\\svc-app`, next)).toEqual(
        E.right(undefined),
      );
      expect(simHost.service('AppSvc')?.password).toBe(next.reveal());
      expect(simHost.service('AppSvc')?.state).toBe('running');
      // every command went over WinRM, on one Kerberos logon
      expect(winrm.stats().commands).toBeGreaterThan(0);
      expect(winrm.stats().negotiations).toBe(1);
    });
  },
);
