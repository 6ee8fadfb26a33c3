// The smallest cases of two issue 2 properties that the generated runs
// found broken outside the test's reach. Each is marked `fails` while the
// bug stands: when it is fixed the case passes, vitest reports the
// `fails` test as failing, and the mark (and the matching exclusion in
// rotation.property.test.ts / rotationHarness.ts) should go.
import { describe, expect, it } from 'vitest';
import { rotatedUserKey, type FleetSpec } from '@rotor/testkit';
import { prepare, runJob } from './rotationHarness.js';
import { scenarioOf } from './rotationScenario.js';

const domain = {
  netbios: 'CONTOSO',
  dns: 'contoso.com',
  accounts: [{ sam: 'svc-app', password: 'domain-namesake' }],
};

describe('known bugs found by the rotation properties', () => {
  // TODO(2): the engine restarts a service that the restart of its
  // dependency already restarted. Issue 2, property 2: "restarted exactly
  // once". Fix in core's plan/engine (skip a restart of a service named in
  // an earlier ServiceRestarted.dependentsRestarted of the same machine).
  it.fails(
    'a running service that depends on another restarted one is restarted once',
    async () => {
      const spec: FleetSpec = {
        domain,
        users: [
          {
            key: rotatedUserKey,
            sam: 'svc-app',
            password: 'old',
            scope: 'local',
            hostKey: 'h0',
          },
        ],
        hosts: [
          {
            key: 'h0',
            computerName: 'HOST01',
            services: [
              {
                name: 'Base',
                state: 'running',
                account: '.\\svc-app',
                password: 'old',
              },
              {
                name: 'Upper',
                state: 'running',
                account: '.\\svc-app',
                password: 'old',
                dependsOn: ['Base'],
              },
            ],
          },
        ],
      };
      const p = await prepare(scenarioOf(spec, [['h0', 'service']], 'new'));
      expect((await runJob(p.deps())).error).toBeUndefined();
      const host = p.fleet.hostByKey.get('h0');
      expect(host?.counters({ kind: 'service', name: 'Upper' })).toMatchObject({
        stops: 1,
        starts: 1,
      });
    },
  );

  // TODO(2): a local user mapped to a machine other than its own gets the
  // namesake local account's services there rewritten with its new
  // password, which that account does not have (a 1069 at the next start).
  // Issue 2, property 1: "nothing that runs as another account was
  // touched". Either `decide` refuses such a mapping, or the job skips
  // machines other than the user's `passwordHostUid` for a local user, or
  // the account rotator changes the local account on every mapped machine.
  it.fails(
    "a local user's job leaves a namesake account on another machine alone",
    async () => {
      const spec: FleetSpec = {
        domain,
        users: [
          {
            key: rotatedUserKey,
            sam: 'svc-app',
            password: 'old',
            scope: 'local',
            hostKey: 'h0',
          },
        ],
        hosts: [
          { key: 'h0', computerName: 'HOST01' },
          {
            key: 'h1',
            computerName: 'HOST02',
            localAccounts: [{ sam: 'svc-app', password: 'namesake' }],
            services: [
              {
                name: 'Svc',
                state: 'stopped',
                account: '.\\svc-app',
                password: 'namesake',
              },
            ],
          },
        ],
      };
      const p = await prepare(scenarioOf(spec, [['h1', 'service']], 'new'));
      await runJob(p.deps());
      expect(p.fleet.hostByKey.get('h1')?.service('Svc')?.password).toBe(
        'namesake',
      );
    },
  );

  // TODO(2): the Windows layer finds a task with the InteractiveTokenOrPassword
  // logon type (it stores a password, as Password does: windows'
  // taskStoresPassword), but core's holdsPassword counts only `password`, so
  // the job never rewrites it and the task keeps the old password. Issue 2,
  // property 1 names only the Password type, so the property does not
  // catch it; align holdsPassword with taskStoresPassword.
  it.fails(
    'a task with the InteractiveTokenOrPassword logon type gets the new password',
    async () => {
      const spec: FleetSpec = {
        domain: { ...domain, accounts: [] },
        users: [
          {
            key: rotatedUserKey,
            sam: 'svc-app',
            password: 'old',
            scope: 'domain',
            passwordHostKey: 'h0',
          },
        ],
        hosts: [
          {
            key: 'h0',
            computerName: 'HOST01',
            tasks: [
              {
                path: '\\Nightly',
                userId: 'CONTOSO\\svc-app',
                logonType: 'interactive-token-or-password',
                password: 'old',
              },
            ],
          },
        ],
      };
      const p = await prepare(scenarioOf(spec, [['h0', 'task']], 'new'));
      expect((await runJob(p.deps())).error).toBeUndefined();
      expect(p.fleet.hostByKey.get('h0')?.task('\\Nightly')?.password).toBe(
        'new',
      );
    },
  );
});
