import { Secret, uidFromBytes, type Machine } from '@rotor/core';
import {
  generateTestKey,
  startSimSshServer,
  type SimHandler,
  type SimSshServer,
} from '@rotor/testkit';
import { bootstrapCommandLine } from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';
import { randomBytes } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SshCredentials } from './options.js';
import { createSshTransport } from './sshTransport.js';

const { Client } = ssh2;

const clientKey = generateTestKey('rotor-admin');
const password = Secret.of('Corr3ct-Horse-Battery');

// Echoes the operation's input, and behaves as asked by it.
const handler: SimHandler = async ({ script, input }) => {
  const request = JSON.parse(input) as { exit?: number; sleepMs?: number };
  if (request.sleepMs !== undefined) {
    await new Promise((r) => setTimeout(r, request.sleepMs));
  }

  return {
    stdout: JSON.stringify({ script: script.split('\n')[0], input }),
    stderr: request.exit === undefined ? '' : 'failed on purpose',
    exitCode: request.exit ?? 0,
  };
};

let server: SimSshServer;

beforeAll(async () => {
  server = await startSimSshServer({
    handler,
    users: [
      { username: 'CONTOSO\\admin', password },
      { username: 'keyadmin', publicKeys: [clientKey.publicKeyLine] },
    ],
  });
});

afterAll(async () => {
  await server.stop();
});

const machineAt = (port: number, trust: Machine['trust'] = {}): Machine => ({
  type: 'machine',
  uid: uidFromBytes(randomBytes(16)),
  name: 'web-01',
  host: '127.0.0.1',
  port,
  protocol: 'ssh',
  gatewayUid: uidFromBytes(randomBytes(16)),
  adminUserUid: uidFromBytes(randomBytes(16)),
  ...(trust === undefined ? {} : { trust }),
});

const transportWith = (
  credentials: SshCredentials,
  extra: { idleCloseMs?: number; maxOutputBytes?: number } = {},
) =>
  createSshTransport({
    credentials: () => Promise.resolve(E.right(credentials)),
    connectTimeoutMs: 5_000,
    ...extra,
  });

const command = (input: unknown) => ({
  operation: 'echo',
  script: '# rotor-operation: echo\nWrite-Output $args[0]\n',
  input: JSON.stringify(input),
});

describe('the SSH transport against the ssh2 simulated server', () => {
  it('runs an operation with a password logon', async () => {
    const transport = transportWith({ username: 'CONTOSO\\admin', password });
    const machine = machineAt(server.port, {
      hostKeyFingerprint: server.hostKeyFingerprint,
    });

    const result = await transport.run(machine, command({ a: 'é' }), {
      timeoutMs: 5_000,
    });
    await transport.close();

    expect(result).toEqual(
      E.right({
        stdout: JSON.stringify({
          script: '# rotor-operation: echo',
          input: '{"a":"é"}',
        }),
        stderr: '',
        exitCode: 0,
      }),
    );
  });

  it('runs an operation with a public-key logon', async () => {
    const transport = transportWith({
      username: 'keyadmin',
      privateKey: clientKey.privateKey,
    });
    const machine = machineAt(server.port, {
      hostKeyFingerprint: server.hostKeyFingerprint,
    });

    const result = await transport.run(machine, command({}), {
      timeoutMs: 5_000,
    });
    await transport.close();

    expect(E.isRight(result) && result.right.exitCode).toBe(0);
  });

  it('returns a non-zero exit as a result, not an error', async () => {
    const transport = transportWith({ username: 'CONTOSO\\admin', password });
    const machine = machineAt(server.port, {
      hostKeyFingerprint: server.hostKeyFingerprint,
    });

    const result = await transport.run(machine, command({ exit: 3 }), {
      timeoutMs: 5_000,
    });
    await transport.close();

    expect(E.isRight(result) && result.right).toMatchObject({
      stderr: 'failed on purpose',
      exitCode: 3,
    });
  });

  it('refuses a wrong password as LogonRefused, without the password in the message', async () => {
    const wrong = Secret.of('Wr0ng-Password-Here');
    const transport = transportWith({
      username: 'CONTOSO\\admin',
      password: wrong,
    });
    const machine = machineAt(server.port, {
      hostKeyFingerprint: server.hostKeyFingerprint,
    });

    const result = await transport.run(machine, command({}), {
      timeoutMs: 5_000,
    });
    await transport.close();

    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'LogonRefused',
      transient: false,
      machineUid: machine.uid,
    });
    expect(JSON.stringify(result)).not.toContain(wrong.reveal());
  });

  it('refuses a key the server does not know as LogonRefused', async () => {
    const transport = transportWith({
      username: 'keyadmin',
      privateKey: generateTestKey().privateKey,
    });
    const machine = machineAt(server.port, {
      hostKeyFingerprint: server.hostKeyFingerprint,
    });

    const result = await transport.run(machine, command({}), {
      timeoutMs: 5_000,
    });
    await transport.close();

    expect(E.isLeft(result) && result.left.code).toBe('LogonRefused');
  });

  it('refuses a host with no pinned key, showing the offered fingerprint', async () => {
    const transport = transportWith({ username: 'CONTOSO\\admin', password });
    const before = server.connections();

    const result = await transport.run(machineAt(server.port), command({}), {
      timeoutMs: 5_000,
    });
    await transport.close();

    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'HostKeyMismatch',
      transient: false,
    });
    const message = E.isLeft(result) ? result.left.message : '';
    expect(message).toContain(server.hostKeyFingerprint);
    expect(message).toContain('trust.hostKeyFingerprint');
    expect(server.connections()).toBe(before + 1);
  });

  it('keeps one connection for several commands and closes it when idle', async () => {
    const transport = transportWith(
      { username: 'CONTOSO\\admin', password },
      { idleCloseMs: 700 },
    );
    const machine = machineAt(server.port, {
      hostKeyFingerprint: server.hostKeyFingerprint,
    });
    const before = server.connections();

    const results = await Promise.all(
      [1, 2, 3, 4, 5, 6].map((n) =>
        transport.run(machine, command({ n }), { timeoutMs: 5_000 }),
      ),
    );
    await transport.run(machine, command({}), { timeoutMs: 5_000 });
    const afterBurst = server.connections();
    await new Promise((r) => setTimeout(r, 1_600));
    const openAfterIdle = server.openConnections();
    await transport.run(machine, command({}), { timeoutMs: 5_000 });
    const afterIdle = server.connections();
    await transport.close();

    expect(results.every(E.isRight)).toBe(true);
    expect(afterBurst).toBe(before + 1);
    expect(openAfterIdle).toBe(0);
    expect(afterIdle).toBe(before + 2);
  });

  it('times out a slow command, closes its channel and keeps the connection', async () => {
    const transport = transportWith({ username: 'CONTOSO\\admin', password });
    const machine = machineAt(server.port, {
      hostKeyFingerprint: server.hostKeyFingerprint,
    });
    const before = server.connections();

    const slow = await transport.run(machine, command({ sleepMs: 1_500 }), {
      timeoutMs: 200,
    });
    const next = await transport.run(machine, command({}), {
      timeoutMs: 5_000,
    });
    await transport.close();

    expect(E.isLeft(slow) && slow.left).toMatchObject({
      code: 'Timeout',
      transient: true,
    });
    expect(E.isRight(next)).toBe(true);
    expect(server.connections()).toBe(before + 1);
  });

  it('refuses output over the cap', async () => {
    const transport = transportWith(
      { username: 'CONTOSO\\admin', password },
      { maxOutputBytes: 64 },
    );
    const machine = machineAt(server.port, {
      hostKeyFingerprint: server.hostKeyFingerprint,
    });

    const result = await transport.run(
      machine,
      command({ pad: 'x'.repeat(200) }),
      {
        timeoutMs: 5_000,
      },
    );
    await transport.close();

    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'OutputTooLarge',
      transient: false,
    });
  });
});

describe('connect failures', () => {
  it('reports a handshake that never comes as Timeout', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as AddressInfo;
    const transport = createSshTransport({
      credentials: () =>
        Promise.resolve(E.right({ username: 'CONTOSO\\admin', password })),
      connectTimeoutMs: 300,
    });

    const result = await transport.run(
      machineAt(port, { hostKeyFingerprint: server.hostKeyFingerprint }),
      command({}),
      { timeoutMs: 5_000 },
    );
    await transport.close();
    sockets.forEach((s) => s.destroy());
    await new Promise((r) => silent.close(r));

    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'Timeout',
      transient: true,
    });
  });

  it('reports missing credentials as LogonRefused, transient when the store says so', async () => {
    const transport = createSshTransport({
      credentials: () =>
        Promise.resolve(
          E.left({ message: 'vault unavailable', transient: true }),
        ),
    });

    const result = await transport.run(
      machineAt(server.port, { hostKeyFingerprint: server.hostKeyFingerprint }),
      command({}),
      { timeoutMs: 5_000 },
    );
    await transport.close();

    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'LogonRefused',
      transient: true,
    });
    expect(E.isLeft(result) && result.left.message).toContain(
      'vault unavailable',
    );
  });
});

describe('the simulated server as cmd.exe', () => {
  const exec = (commandLine: string, stdin: string) =>
    new Promise<{ stdout: string; stderr: string; code: number }>(
      (resolve, reject) => {
        const client = new Client();
        client
          .on('ready', () => {
            client.exec(commandLine, (error, channel) => {
              if (error !== undefined) {
                reject(error);

                return;
              }
              let stdout = '';
              let stderr = '';
              let code = -1;
              channel.on('data', (d: Buffer) => (stdout += d.toString()));
              channel.stderr.on(
                'data',
                (d: Buffer) => (stderr += d.toString()),
              );
              channel.on('exit', (c: number) => (code = c));
              channel.on('close', () => {
                client.end();
                resolve({ stdout, stderr, code });
              });
              channel.end(stdin);
            });
          })
          .on('error', reject)
          .connect({
            host: '127.0.0.1',
            port: server.port,
            username: 'keyadmin',
            privateKey: clientKey.privateKey,
            hostVerifier: () => true,
          });
      },
    );

  it('refuses a command line over 8191 characters', async () => {
    const long = `${bootstrapCommandLine()} ${'A'.repeat(8191)}`;

    expect(await exec(long, '')).toEqual({
      stdout: '',
      stderr: 'The command line is too long.\r\n',
      code: 1,
    });
  });

  it('accepts a command line of exactly 8191 characters as a command', async () => {
    const line = 'x'.repeat(8191);

    const result = await exec(line, '');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not recognized as an internal');
  });

  it('does not know other commands', async () => {
    expect(await exec('whoami /all', '')).toEqual({
      stdout: '',
      stderr:
        "'whoami' is not recognized as an internal or external command,\r\n" +
        'operable program or batch file.\r\n',
      code: 1,
    });
  });

  it('fails the bootstrap on stdin that is not of its form', async () => {
    const result = await exec(bootstrapCommandLine(), 'not base64!\r\n{}\r\n');

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Base-64');
  });
});
