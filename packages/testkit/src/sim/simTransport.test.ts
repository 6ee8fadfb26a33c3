import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Machine, RemoteCommand } from '@rotor/core';
import { type OperationName, readStdout } from '@rotor/windows';
import { demoFleet, demoPasswords } from './demoFleet.js';
import { simScript } from './executeOnSimHost.js';
import type { FaultPlan } from './faultPlan.js';
import { createSimTransport } from './simTransport.js';

const setup = (faults: FaultPlan = {}, delays: number[] = []) => {
  const fleet = demoFleet();
  const app = fleet.machines.get('app01') as Machine;
  const web = fleet.machines.get('web01') as Machine;
  const transport = createSimTransport({
    hosts: fleet.hosts,
    faults,
    delay: (ms) => {
      delays.push(ms);

      return Promise.resolve();
    },
  });

  return { fleet, app, web, transport };
};

const command = (operation: OperationName, input: unknown): RemoteCommand => ({
  operation,
  script: simScript(operation),
  input: JSON.stringify(input),
});

const enumerate = command('enumerate-dependents', { kinds: ['service'] });
const timeout = { timeoutMs: 1000 };

describe('createSimTransport', () => {
  it('runs a command on the machine host and records it', async () => {
    const { app, transport } = setup();
    const result = await transport.run(app, enumerate, timeout);
    expect(E.isRight(result) && result.right.exitCode).toBe(0);
    expect(transport.received()).toEqual([
      expect.objectContaining({
        machineUid: app.uid,
        operation: 'enumerate-dependents',
        outcome: 'executed',
        timeoutMs: 1000,
      }),
    ]);
  });

  it('fails unreachable machines transiently, and unknown ones too', async () => {
    const { app, transport } = setup();
    transport.setFaults({ unreachable: [app.uid] });
    const result = await transport.run(app, enumerate, timeout);
    expect(result).toEqual(
      E.left(expect.objectContaining({ code: 'Unreachable', transient: true })),
    );
    const stranger = { ...app, uid: 'AAAAAAAAAAAAAAAAAAAAAA' } as Machine;
    const other = await transport.run(stranger, enumerate, timeout);
    expect(E.isLeft(other) && other.left.code).toBe('Unreachable');
  });

  it('refuses logon permanently', async () => {
    const { web, transport } = setup();
    transport.setFaults({ logonRefused: [web.uid] });
    const result = await transport.run(web, enumerate, timeout);
    expect(result).toEqual(
      E.left(
        expect.objectContaining({ code: 'LogonRefused', transient: false }),
      ),
    );
  });

  it('fails the first N attempts, then runs', async () => {
    const { app, transport } = setup();
    transport.setFaults({
      transient: [
        {
          machineUid: app.uid,
          operation: 'enumerate-dependents',
          attempts: 2,
          code: 'Timeout',
        },
      ],
    });
    const outcomes = [];
    for (let i = 0; i < 3; i++) {
      const r = await transport.run(app, enumerate, timeout);
      outcomes.push(E.isLeft(r) ? r.left.code : 'ok');
    }
    expect(outcomes).toEqual(['Timeout', 'Timeout', 'ok']);
    const other = await transport.run(
      app,
      command('test-logon', { account: 'CONTOSO\\svc-app', password: 'x' }),
      timeout,
    );
    expect(E.isRight(other)).toBe(true);
  });

  it('fails a given step on a given dependent, leaving the host alone', async () => {
    const { fleet, app, transport } = setup({});
    transport.setFaults({
      failingSteps: [
        {
          machineUid: app.uid,
          operation: 'restart-service',
          dependent: 'appsvc',
          code: 1053,
          times: 1,
        },
      ],
    });
    const restart = command('restart-service', {
      name: 'AppSvc',
      timeoutSeconds: 5,
    });
    const first = await transport.run(app, restart, timeout);
    expect(E.isRight(first) && first.right.exitCode).toBe(1);
    expect(E.isRight(first) && readStdout(first.right.stdout).document).toEqual(
      {
        ok: false,
        error: expect.objectContaining({
          code: 1053,
          name: 'ERROR_SERVICE_REQUEST_TIMEOUT',
        }),
      },
    );
    const host = fleet.hostByKey.get('app01');
    expect(host?.journal()).toEqual([]);
    const second = await transport.run(app, restart, timeout);
    expect(E.isRight(second) && second.right.exitCode).toBe(0);
    expect(host?.counters({ kind: 'service', name: 'AppSvc' }).starts).toBe(1);
  });

  it('delays by the latency and times out a slow step without running it', async () => {
    const delays: number[] = [];
    const { fleet, app, transport } = setup({ latencyMs: 20 }, delays);
    await transport.run(app, enumerate, timeout);
    transport.setFaults({
      latencyMs: (_uid, op) => (op === 'test-logon' ? 5000 : 0),
    });
    const slow = await transport.run(
      app,
      command('test-logon', { account: 'CONTOSO\\svc-app', password: 'bad' }),
      timeout,
    );
    expect(E.isLeft(slow) && slow.left).toMatchObject({
      code: 'Timeout',
      transient: true,
    });
    expect(delays).toEqual([20, 1000]);
    expect(fleet.domain?.accounts.get('svc-app')?.badLogons).toBe(0);
  });

  it('keeps the password out of every script it received', async () => {
    const { web, transport } = setup();
    await transport.run(
      web,
      command('set-task-credential', {
        path: '\\App\\Nightly',
        account: 'CONTOSO\\svc-app',
        password: demoPasswords['svc-app'],
      }),
      timeout,
    );
    const [received] = transport.received();
    expect(received?.script).not.toContain(demoPasswords['svc-app']);
    expect(received?.input).toContain(demoPasswords['svc-app']);
  });

  it('counts closes', async () => {
    const { transport } = setup();
    await transport.close();
    expect(transport.closeCount()).toBe(1);
  });
});
