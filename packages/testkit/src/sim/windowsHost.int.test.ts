import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Secret, type Machine, type ServiceDependent } from '@rotor/core';
import {
  createWindowsHost,
  decodeOutput,
  operationNames,
  remoteCommand,
} from '@rotor/windows';
import { fleetSpecArb } from '../arbitraries/fleets.js';
import { demoFleet, demoPasswords } from './demoFleet.js';
import { executeOnSimHost } from './executeOnSimHost.js';
import { buildFleet } from './fleet.js';
import { createSimTransport } from './simTransport.js';
import type { PsQuirks } from './simTypes.js';

// The simulated host against helper C's real scripts and decoders: what
// the simulator prints must decode, with every PowerShell 5.1 quirk.
const quirksArb: fc.Arbitrary<PsQuirks> = fc.record({
  singleObjectForOne: fc.boolean(),
  nullForEmpty: fc.boolean(),
  enumsAsNumbers: fc.boolean(),
  valueCountWrapper: fc.boolean(),
  bom: fc.boolean(),
  clixmlProgress: fc.boolean(),
});

describe('the simulated host and the windows decoders', () => {
  it('every operation dispatches on the real script text', () => {
    const host = demoFleet().hostByKey.get('app01');
    for (const operation of operationNames) {
      const command = remoteCommand(operation, {} as never);
      const out =
        host === undefined ? undefined : executeOnSimHost(host, command);
      // An empty input is refused by the operation, not as "no operation".
      expect(out?.stdout).not.toContain('not a rotor operation');
    }
  });

  it('enumerations decode to what the host holds, under any quirks', () => {
    fc.assert(
      fc.property(fleetSpecArb(), quirksArb, (spec, quirks) => {
        const fleet = buildFleet(spec);
        for (const host of fleet.hosts.values()) {
          host.quirks = quirks;
          const out = executeOnSimHost(
            host,
            remoteCommand('enumerate-dependents', {
              kinds: ['service', 'task', 'iis'],
            }),
          );
          const decoded = decodeOutput('enumerate-dependents', out);
          if (E.isLeft(decoded)) {
            throw new Error(JSON.stringify(decoded.left));
          }
          const e = decoded.right;
          expect(e.host.computerName).toBe(host.computerName);
          expect(
            e.services.map((s) => [s.name, s.state, s.startMode, s.account]),
          ).toEqual(
            [...host.services.values()].map((s) => [
              s.name,
              s.state,
              s.startMode,
              s.account,
            ]),
          );
          expect(e.tasks.map((t) => [t.name, t.logonType])).toEqual(
            [...host.tasks.values()].map((t) => [t.path, t.logonType]),
          );
          expect(
            e.appPools.map((p) => [p.name, p.identityType, p.state]),
          ).toEqual(
            [...host.appPools.values()].map((p) => [
              p.name,
              p.identityType,
              p.state,
            ]),
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it('errors decode as the failures the host reported', () => {
    const host = demoFleet().hostByKey.get('app01');
    if (host === undefined) {
      throw new Error('no app01');
    }
    const out = executeOnSimHost(
      host,
      remoteCommand('restart-service', {
        name: 'ReportSvc',
        timeoutSeconds: 5,
      }),
    );
    expect(decodeOutput('restart-service', out)).toEqual(
      E.left(
        expect.objectContaining({
          _tag: 'RemoteFailed',
          error: expect.objectContaining({
            code: 1062,
            name: 'ERROR_SERVICE_NOT_ACTIVE',
          }),
        }),
      ),
    );
  });
});

describe('createWindowsHost over the simulated transport', () => {
  it('finds, updates and restarts the demo dependents', async () => {
    const fleet = demoFleet();
    const transport = createSimTransport({
      hosts: fleet.hosts,
      delay: () => Promise.resolve(),
    });
    const windows = createWindowsHost(transport);
    const app = fleet.machines.get('app01') as Machine;
    const user = fleet.users.get('svc-app');
    if (user === undefined) {
      throw new Error('no user');
    }
    const found = await windows.enumerate(app, user, ['service']);
    if (E.isLeft(found)) {
      throw new Error(JSON.stringify(found.left));
    }
    expect(found.right.dependents.map((d) => d.name).sort()).toEqual([
      'AppSvc',
      'ReportSvc',
    ]);
    const next = Secret.of('N3w-"pw"-$`%^&-é😀');
    const changed = await windows.changeAccountPassword(app, user, next);
    expect(changed).toEqual(E.right(undefined));
    for (const d of found.right.dependents) {
      expect(await windows.setCredential(app, d, next)).toEqual(
        E.right(undefined),
      );
    }
    const appSvc = found.right.dependents.find(
      (d) => d.name === 'AppSvc',
    ) as ServiceDependent;
    const restarted = await windows.restartService(app, appSvc);
    expect(restarted).toEqual(E.right({ dependentsRestarted: ['AppWorker'] }));
    const host = fleet.hostByKey.get('app01');
    expect(host?.service('AppSvc')?.password).toBe(next.reveal());
    expect(host?.service('ReportSvc')?.state).toBe('stopped');
    expect(host?.service('OtherSvc')?.password).toBe(
      demoPasswords['svc-other'],
    );
    for (const c of transport.received()) {
      expect(c.script).not.toContain(next.reveal());
    }
  });
});
