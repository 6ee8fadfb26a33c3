import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Secret,
  uidFromBytes,
  type Machine,
  type RemoteCommand,
} from '@rotor/core';
import { openSshReady, startSimSshServer } from '@rotor/testkit';
import { createSshTransport } from '@rotor/transport-ssh';
import { remoteCommand } from '@rotor/windows';
import { intFromEnv } from './env.js';
import { benchFleet } from './benchFleet.js';
import { figure, report, type Figure } from './report.js';
import { openSshClient } from './sshPeers.js';
import { winrmRace } from './winrmRace.js';

// Transports: N operations, one after another, on one simulated host over
// SSH through rotor's transport (ssh2, one connection) against Debian's
// OpenSSH client with a shared master connection, and over WinRM against
// pywinrm when both sides exist. The first operation of each side (the
// connection) is not counted.
const operations = intFromEnv('ROTOR_BENCH_OPERATIONS', 200);

const command: RemoteCommand = remoteCommand('enumerate-dependents', {
  kinds: ['service', 'task', 'iis'],
});

const timeEach = async (
  n: number,
  one: () => Promise<boolean>,
): Promise<{ perOpMs: number; failures: number }> => {
  let failures = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i += 1) {
    failures += (await one()) ? 0 : 1;
  }

  return { perOpMs: (performance.now() - t0) / n, failures };
};

const figures: Figure[] = [];
const skipped: string[] = [];
const notes: string[] = [];
const host = benchFleet(1).hostByKey.get('h0');
if (host === undefined) {
  throw new Error('no host');
}

if (!openSshReady()) {
  skipped.push("SSH: Debian's ssh client is not installed (openssh-client)");
} else {
  const dir = mkdtempSync(join(tmpdir(), 'rotor-bench-ssh-'));
  try {
    const identity = join(dir, 'id_ed25519');
    execFileSync('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-f',
      identity,
    ]);
    const password = Secret.of(randomBytes(12).toString('base64url'));
    const server = await startSimSshServer({
      host,
      users: [
        {
          username: 'bench-admin',
          password,
          publicKeys: [readFileSync(`${identity}.pub`, 'utf8')],
        },
      ],
    });
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, `${server.knownHostsLine}\n`);
    const machine: Machine = {
      type: 'machine',
      uid: uidFromBytes(randomBytes(16)),
      name: 'bh0',
      host: '127.0.0.1',
      port: server.port,
      protocol: 'ssh',
      gatewayUid: uidFromBytes(randomBytes(16)),
      adminUserUid: uidFromBytes(randomBytes(16)),
      trust: { hostKeyFingerprint: server.hostKeyFingerprint },
    };
    const transport = createSshTransport({
      credentials: () =>
        Promise.resolve({
          _tag: 'Right',
          right: {
            username: 'bench-admin',
            privateKey: readFileSync(identity),
          },
        }),
    });
    const client = openSshClient({
      dir,
      port: server.port,
      identity,
      knownHosts,
      username: 'bench-admin',
    });
    try {
      const rotorOne = async () => {
        const r = await transport.run(machine, command, { timeoutMs: 30_000 });

        return r._tag === 'Right' && r.right.exitCode === 0;
      };
      const sshOne = async () => (await client.run(command)).code === 0;
      await rotorOne();
      const first = await client.run(command);
      if (first.code !== 0) {
        throw new Error(`ssh failed: ${first.stderr.trim()}`);
      }
      const half = Math.ceil(operations / 2);
      // Two halves each, alternating, so both see the same machine load.
      const r1 = await timeEach(half, rotorOne);
      const o1 = await timeEach(half, sshOne);
      const r2 = await timeEach(operations - half, rotorOne);
      const o2 = await timeEach(operations - half, sshOne);
      const rotorMs =
        (r1.perOpMs * half + r2.perOpMs * (operations - half)) / operations;
      const sshMs =
        (o1.perOpMs * half + o2.perOpMs * (operations - half)) / operations;
      figures.push(
        figure("SSH: rotor's transport per operation", rotorMs, 'ms'),
        figure(
          'SSH: OpenSSH client, ControlMaster, per operation',
          sshMs,
          'ms',
        ),
        figure('SSH: rotor / OpenSSH', rotorMs / sshMs, 'x', {
          target: '<= 1',
          met: (v) => v <= 1,
        }),
      );
      notes.push(
        `SSH: ${operations} enumerate-dependents operations per side against the testkit's ssh2 server; failures rotor ${r1.failures + r2.failures}, OpenSSH ${o1.failures + o2.failures}; the OpenSSH side pays a process start per operation, as any caller of the ssh binary does`,
      );
    } finally {
      client.stop();
      await transport.close();
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const winrm = await winrmRace(host, command, operations);
figures.push(...winrm.figures);
skipped.push(...winrm.skipped);
notes.push(...winrm.notes);

report({
  name: 'transports',
  title: `Transports: ${operations} operations on one simulated host`,
  params: { operations, operation: command.operation },
  figures,
  skipped,
  notes,
});
