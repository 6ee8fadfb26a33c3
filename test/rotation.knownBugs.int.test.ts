// The smallest cases of issue 2 properties that the generated runs once
// found broken outside the test's reach, kept as regression cases: a
// service restarted with its dependency is not restarted again, a local
// user is never mapped to another machine, and tasks that store a password
// of either logon type get the new one.
import { describe, expect, it } from 'vitest';
import { rotatedUserKey, type FleetSpec } from '@rotor/testkit';
import { createEngine, machineOf } from '@rotor/core';
import { prepare, readStream, runJob } from './rotationHarness.js';
import { jobId, scenarioOf } from './rotationScenario.js';

const domain = {
  netbios: 'CONTOSO',
  dns: 'contoso.com',
  accounts: [{ sam: 'svc-app', password: 'domain-namesake' }],
};

describe('bugs once found by the rotation properties', () => {
  // Issue 2, property 2: "restarted exactly once". Restarting Base stops
  // and starts Upper too; the plan does not restart Upper again, and the
  // job records it as restarted with Base.
  it('a running service that depends on another restarted one is restarted once', async () => {
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
    for (const name of ['Base', 'Upper']) {
      expect(host?.counters({ kind: 'service', name })).toMatchObject({
        stops: 1,
        starts: 1,
      });
    }
    const stream = await readStream(p.store);
    expect(
      stream.filter((e) => e.type === 'ServiceRestarted').map((e) => e.data),
    ).toMatchObject([{ dependent: 'Base', dependentsRestarted: ['Upper'] }]);
    const end = stream.at(-1);
    expect(end?.data).toMatchObject({
      status: 'finished',
      counts: { dependents: 2, updated: 2, restarted: 2, skipped: 0 },
    });
    const state = await createEngine(p.deps()).state(jobId);
    expect(
      state.status === 'finished' &&
        machineOf(state, p.fleet.machines.get('h0')?.uid ?? '').dependents[
          'service:upper'
        ],
    ).toEqual({
      status: 'restarted',
      dependentsRestarted: [],
      with: 'Base',
    });
  });

  // Issue 2, property 1: "nothing that runs as another account was
  // touched". A local account exists only on its own machine: decide
  // refuses to map it elsewhere, and a rotation skips such a mapping
  // recorded before that check, so the namesake account's service on the
  // other machine keeps its own password.
  it.each([false, true])(
    "a local user's job leaves a namesake account on another machine alone (recorded before the check: %s)",
    async (recordedBefore) => {
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
      const p = await prepare(
        scenarioOf(spec, [['h0', 'service']], 'new', undefined, [
          ['h1', 'service', { recordedBefore }],
        ]),
      );
      const h1 = p.fleet.machines.get('h1')?.uid;
      const h0 = p.fleet.machines.get('h0')?.uid;
      const elsewhere = {
        _tag: 'LocalUserElsewhere',
        userUid: p.user.uid,
        machineUid: h1,
        homeMachineUid: h0,
      };
      if (recordedBefore) {
        expect(p.scheduleWarnings).toEqual([
          { _tag: 'MachineSkipped', machineUid: h1, error: elsewhere },
        ]);
      } else {
        expect(p.refused).toEqual([elsewhere]);
        expect(p.scheduleWarnings).toEqual([]);
      }
      expect((await runJob(p.deps())).error).toBeUndefined();
      const scheduled = (await readStream(p.store))[0];
      expect(scheduled?.data).toMatchObject({
        targets: [{ machineUid: h0, kinds: ['service'] }],
      });
      const svc = p.fleet.hostByKey.get('h1')?.service('Svc');
      expect(svc?.password).toBe('namesake');
      expect(
        p.fleet.hostByKey.get('h1')?.counters({ kind: 'service', name: 'Svc' }),
      ).toMatchObject({ credentialSets: 0 });
    },
  );

  // A task with the InteractiveTokenOrPassword logon type stores a
  // password, as Password does: core's holdsPassword agrees with windows'
  // taskStoresPassword, so the job rewrites it.
  it('a task with the InteractiveTokenOrPassword logon type gets the new password', async () => {
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
  });
});
