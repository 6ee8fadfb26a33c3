import { Secret, uidFromBytes, type Machine } from '@rotor/core';
import {
  generateTestKey,
  startOpenSsh,
  type OpenSshServer,
  type SimHandler,
  openSshReady,
} from '@rotor/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshCredentials, SshTransportOptions } from './options.js';
import { createSshTransport } from './sshTransport.js';

const haveOpenSsh = openSshReady();

// These tests run against Debian's sshd; CI installs openssh-server. They
// are never skipped: a missing sshd fails the set-up.

const clientKey = generateTestKey('rotor-gateway');

const handler: SimHandler = async ({ script, input }) => {
  const request = JSON.parse(input) as {
    exit?: number;
    sleepMs?: number;
    bytes?: number;
  };
  if (request.sleepMs !== undefined) {
    await new Promise((r) => setTimeout(r, request.sleepMs));
  }

  return {
    stdout:
      request.bytes !== undefined
        ? 'y'.repeat(request.bytes)
        : JSON.stringify({ operation: script.split('\n')[0], input }),
    stderr: '',
    exitCode: request.exit ?? 0,
  };
};

let sshd: OpenSshServer;
let dir: string;

beforeAll(async () => {
  if (!haveOpenSsh) {
    return;
  }
  sshd = await startOpenSsh({
    handler,
    authorizedKeys: [clientKey.publicKeyLine],
  });
  dir = await mkdtemp(join(tmpdir(), 'rotor-ssh-test-'));
});

afterAll(async () => {
  if (!haveOpenSsh) {
    return;
  }
  await sshd.stop();
  await rm(dir, { recursive: true, force: true });
});

const machineAt = (port: number, trust: Machine['trust']): Machine => ({
  type: 'machine',
  uid: uidFromBytes(randomBytes(16)),
  name: 'app-01',
  host: '127.0.0.1',
  port,
  protocol: 'ssh',
  gatewayUid: uidFromBytes(randomBytes(16)),
  adminUserUid: uidFromBytes(randomBytes(16)),
  ...(trust === undefined ? {} : { trust }),
});

const pinned = (): Machine =>
  machineAt(sshd.port, { hostKeyFingerprint: sshd.hostKeyFingerprint });

const transportWith = (
  credentials: Partial<SshCredentials> = {},
  extra: Partial<SshTransportOptions> = {},
) =>
  createSshTransport({
    credentials: () =>
      Promise.resolve(
        E.right({
          username: sshd.username,
          privateKey: clientKey.privateKey,
          ...credentials,
        }),
      ),
    connectTimeoutMs: 5_000,
    ...extra,
  });

const command = (input: unknown) => ({
  operation: 'probe',
  script: '# rotor-operation: probe\n$args[0]\n',
  input: JSON.stringify(input),
});

const run = (
  transport: ReturnType<typeof transportWith>,
  machine: Machine,
  input: unknown = {},
  timeoutMs = 10_000,
) => transport.run(machine, command(input), { timeoutMs });

describe.runIf(haveOpenSsh)('the SSH transport against OpenSSH sshd', () => {
  it('runs an operation through the powershell.exe bootstrap', async () => {
    const transport = transportWith();

    const result = await run(transport, pinned(), { name: 'Zoë' });
    await transport.close();

    expect(result).toEqual(
      E.right({
        stdout: JSON.stringify({
          operation: '# rotor-operation: probe',
          input: '{"name":"Zoë"}',
        }),
        stderr: '',
        exitCode: 0,
      }),
    );
  });

  it('returns the exit code of a failed operation', async () => {
    const transport = transportWith();

    const result = await run(transport, pinned(), { exit: 5 });
    await transport.close();

    expect(E.isRight(result) && result.right.exitCode).toBe(5);
  });

  it('accepts the host key from a known_hosts file', async () => {
    const file = join(dir, 'known_hosts');
    await writeFile(file, `# fleet\n${sshd.knownHostsLine}\n`);
    const transport = transportWith();

    const result = await run(
      transport,
      machineAt(sshd.port, { knownHostsFile: file }),
    );
    await transport.close();

    expect(E.isRight(result)).toBe(true);
  });

  it('refuses a known_hosts file without the host, naming the offered key', async () => {
    const file = join(dir, 'other_known_hosts');
    const other = generateTestKey();
    await writeFile(file, `[127.0.0.1]:${sshd.port} ${other.publicKeyLine}\n`);
    const transport = transportWith();

    const result = await run(
      transport,
      machineAt(sshd.port, { knownHostsFile: file }),
    );
    await transport.close();

    expect(E.isLeft(result) && result.left.code).toBe('HostKeyMismatch');
    expect(E.isLeft(result) && result.left.message).toContain(
      sshd.hostKeyFingerprint,
    );
  });

  it('refuses a wrong pin with the offered fingerprint and how to pin it', async () => {
    const transport = transportWith();
    const wrongPin = generateTestKey().fingerprint;

    const result = await run(
      transport,
      machineAt(sshd.port, { hostKeyFingerprint: wrongPin }),
    );
    await transport.close();

    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'HostKeyMismatch',
      transient: false,
    });
    const message = E.isLeft(result) ? result.left.message : '';
    expect(message).toContain(sshd.hostKeyFingerprint);
    expect(message).toContain(wrongPin);
    expect(message).toContain('trust.hostKeyFingerprint');
  });

  it('refuses an unknown key as LogonRefused', async () => {
    const transport = transportWith({
      privateKey: generateTestKey().privateKey,
    });

    const result = await run(transport, pinned());
    await transport.close();

    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'LogonRefused',
      transient: false,
    });
  });

  it('refuses a password logon as LogonRefused, never echoing the password', async () => {
    const password = Secret.of('N0t-The-Root-Password');
    const transport = createSshTransport({
      credentials: () =>
        Promise.resolve(E.right({ username: sshd.username, password })),
      connectTimeoutMs: 5_000,
    });

    const result = await run(transport, pinned());
    await transport.close();

    expect(E.isLeft(result) && result.left.code).toBe('LogonRefused');
    expect(JSON.stringify(result)).not.toContain(password.reveal());
  });

  it('reports a closed port as Unreachable (transient)', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as AddressInfo;
    await new Promise((r) => probe.close(r));
    const transport = transportWith();

    const result = await run(
      transport,
      machineAt(port, { hostKeyFingerprint: sshd.hostKeyFingerprint }),
    );
    await transport.close();

    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'Unreachable',
      transient: true,
    });
  });

  it('times out a command and can run the next one', async () => {
    const transport = transportWith();
    const machine = pinned();

    const slow = await run(transport, machine, { sleepMs: 1_500 }, 300);
    const next = await run(transport, machine);
    await transport.close();

    expect(E.isLeft(slow) && slow.left).toMatchObject({
      code: 'Timeout',
      transient: true,
    });
    expect(E.isRight(next)).toBe(true);
  });

  it('caps the captured output', async () => {
    const transport = transportWith({}, { maxOutputBytes: 100_000 });
    const machine = pinned();

    const small = await run(transport, machine, { bytes: 90_000 });
    const large = await run(transport, machine, { bytes: 300_000 });
    await transport.close();

    expect(E.isRight(small) && small.right.stdout.length).toBe(90_000);
    expect(E.isLeft(large) && large.left.code).toBe('OutputTooLarge');
  });

  it('uses one connection for several commands, and a new one after idling', async () => {
    const transport = transportWith({}, { idleCloseMs: 700 });
    const machine = pinned();
    const before = sshd.logons();
    const connectionsBefore = sshd.connections();

    const burst = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => run(transport, machine, { n })),
    );
    const afterBurst = sshd.logons();
    await new Promise((r) => setTimeout(r, 1_600));
    await run(transport, machine);
    const afterIdle = sshd.logons();
    await transport.close();

    expect(burst.every(E.isRight)).toBe(true);
    expect(afterBurst).toBe(before + 1);
    expect(afterIdle).toBe(before + 2);
    expect(sshd.connections()).toBe(connectionsBefore + 2);
  });
});
