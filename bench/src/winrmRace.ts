import { randomBytes } from 'node:crypto';
import {
  Secret,
  uidFromBytes,
  type Machine,
  type RemoteCommand,
} from '@rotor/core';
import {
  pywinrmReady,
  runPywinrm,
  startSimWinrmServer,
  type SimHost,
} from '@rotor/testkit';
import { createWinrmTransport } from '@rotor/transport-winrm';
import { bootstrapCommandLine, encodeStdin } from '@rotor/windows';
import { intFromEnv } from './env.js';
import { figure, type Figure } from './report.js';

const message = (e: unknown): string =>
  e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);

/**
 * WinRM: `operations` operations one after another on the simulated host
 * through rotor's transport (one shell, kept), against Debian's pywinrm
 * (one Python process and one shell per operation, as a script calling it
 * would), both with Basic logon over HTTPS to the testkit's server.
 * pywinrm runs fewer operations (`ROTOR_BENCH_PYWINRM_OPERATIONS`, 40): its
 * rate is per operation all the same.
 */
export const winrmRace = async (
  host: SimHost,
  command: RemoteCommand,
  operations: number,
): Promise<{
  readonly figures: ReadonlyArray<Figure>;
  readonly skipped: ReadonlyArray<string>;
  readonly notes: ReadonlyArray<string>;
}> => {
  if (!pywinrmReady()) {
    return {
      figures: [],
      skipped: [
        'WinRM: pywinrm is not importable by /usr/bin/python3 (apt-get install python3-winrm)',
      ],
      notes: [],
    };
  }
  const pyOperations = intFromEnv(
    'ROTOR_BENCH_PYWINRM_OPERATIONS',
    Math.min(40, operations),
  );
  const password = randomBytes(12).toString('base64url');
  let server;
  try {
    server = await startSimWinrmServer({
      host,
      users: [{ username: 'bench-admin', password: Secret.of(password) }],
    });
  } catch (e) {
    return {
      figures: [],
      skipped: [`WinRM: the simulated server did not start (${message(e)})`],
      notes: [],
    };
  }
  const machine: Machine = {
    type: 'machine',
    uid: uidFromBytes(randomBytes(16)),
    name: 'bh0',
    host: '127.0.0.1',
    port: server.port,
    protocol: 'winrm',
    gatewayUid: uidFromBytes(randomBytes(16)),
    adminUserUid: uidFromBytes(randomBytes(16)),
    trust: { certificateFingerprint: server.certificateFingerprint },
  };
  const transport = createWinrmTransport({
    credentials: () =>
      Promise.resolve({
        _tag: 'Right',
        right: {
          username: 'bench-admin',
          password: Secret.of(password),
          authentication: 'basic',
        },
      }),
  });
  const [program = '', ...args] = bootstrapCommandLine().split(' ');
  let failures = { rotor: 0, pywinrm: 0 };
  const rotorOne = async () => {
    const r = await transport.run(machine, command, { timeoutMs: 30_000 });
    failures.rotor += r._tag === 'Right' && r.right.exitCode === 0 ? 0 : 1;
  };
  const pyOne = async () => {
    try {
      const r = await runPywinrm({
        url: server.url,
        user: 'bench-admin',
        password,
        transport: 'basic',
        command: program,
        args,
        stdin: encodeStdin(command.script, command.input),
      });
      failures.pywinrm += r.exitCode === 0 ? 0 : 1;
    } catch {
      failures.pywinrm += 1;
    }
  };
  try {
    await rotorOne();
    await pyOne();
    failures = { rotor: 0, pywinrm: 0 };
    let t0 = performance.now();
    for (let i = 0; i < operations; i += 1) {
      await rotorOne();
    }
    const rotorMs = (performance.now() - t0) / operations;
    t0 = performance.now();
    for (let i = 0; i < pyOperations; i += 1) {
      await pyOne();
    }
    const pyMs = (performance.now() - t0) / pyOperations;

    return {
      figures: [
        figure("WinRM: rotor's transport per operation", rotorMs, 'ms'),
        figure('WinRM: pywinrm per operation', pyMs, 'ms'),
        figure(
          'WinRM: rotor throughput / pywinrm throughput',
          pyMs / rotorMs,
          'x',
          {
            target: '>= 2',
            met: (v) => v >= 2,
          },
        ),
      ],
      skipped: [],
      notes: [
        `WinRM: rotor ${operations} and pywinrm ${pyOperations} operations, Basic logon over HTTPS; failures rotor ${failures.rotor}, pywinrm ${failures.pywinrm}; pywinrm pays a Python start and a shell per operation`,
      ],
    };
  } finally {
    await transport.close();
    await server.stop();
  }
};
