import { Secret, uidFromBytes, type Machine } from '@rotor/core';
import {
  startSimWinrmServer,
  type SimHandler,
  type SimWinrmServer,
} from '@rotor/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { randomBytes } from 'node:crypto';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WinrmCredentials, WinrmTransportOptions } from './options.js';
import { createWinrmTransport } from './winrmTransport.js';

const password = Secret.of('Corr3ct-Horse-Battery');

// Echoes the operation's input, and behaves as asked by it.
const handler: SimHandler = async ({ script, input }) => {
  const request = JSON.parse(input) as {
    exit?: number;
    sleepMs?: number;
    bytes?: number;
    clixml?: boolean;
  };
  if (request.sleepMs !== undefined) {
    await new Promise((r) => setTimeout(r, request.sleepMs));
  }

  return {
    stdout:
      request.bytes !== undefined
        ? 'é'.repeat(request.bytes / 2)
        : JSON.stringify({ script: script.split('\n')[0], input }),
    stderr:
      request.clixml === true
        ? '#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04"><S S="Error">denied_x000D__x000A_</S></Objs>'
        : '',
    exitCode: request.exit ?? 0,
  };
};

let server: SimWinrmServer;
let dir: string;

beforeAll(async () => {
  server = await startSimWinrmServer({
    handler,
    users: [{ username: 'CONTOSO\\admin', password }],
    maxShellsPerUser: 3,
  });
  dir = await mkdtemp(path.join(tmpdir(), 'rotor-winrm-test-'));
});

afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const machineAt = (port: number, trust: Machine['trust']): Machine => ({
  type: 'machine',
  uid: uidFromBytes(randomBytes(16)),
  name: 'web-01',
  host: '127.0.0.1',
  port,
  protocol: 'winrm',
  gatewayUid: uidFromBytes(randomBytes(16)),
  adminUserUid: uidFromBytes(randomBytes(16)),
  ...(trust === undefined ? {} : { trust }),
});

const pinned = (): Machine =>
  machineAt(server.port, {
    certificateFingerprint: server.certificateFingerprint,
  });

const transportWith = (
  credentials: WinrmCredentials,
  extra: Partial<WinrmTransportOptions> = {},
) =>
  createWinrmTransport({
    credentials: () => Promise.resolve(E.right(credentials)),
    connectTimeoutMs: 5_000,
    ...extra,
  });

const command = (input: unknown) => ({
  operation: 'echo',
  script: '# rotor-operation: echo\nWrite-Output $args[0]\n',
  input: JSON.stringify(input),
});

const ntlm: WinrmCredentials = { username: 'CONTOSO\\admin', password };
const basic: WinrmCredentials = {
  username: 'admin',
  password,
  authentication: 'basic',
};

describe('the WinRM transport against the simulated WinRM server', () => {
  it.each([
    ['NTLMv2 (Negotiate)', ntlm],
    ['Basic', basic],
  ])(
    'runs the bootstrap with the script and input on stdin over %s',
    async (_, credentials) => {
      const transport = transportWith(credentials);
      const machine = pinned();
      try {
        const result = await transport.run(machine, command({ n: 1 }), {
          timeoutMs: 10_000,
        });
        expect(result).toEqual(
          E.right({
            stdout: JSON.stringify({
              script: '# rotor-operation: echo',
              input: '{"n":1}',
            }),
            stderr: '',
            exitCode: 0,
          }),
        );
      } finally {
        await transport.close();
      }
    },
  );

  it('reuses one shell for many commands and deletes it at close', async () => {
    const before = server.stats();
    const transport = transportWith(ntlm);
    const machine = pinned();
    for (let i = 0; i < 4; i++) {
      const r = await transport.run(machine, command({ i, exit: i }), {
        timeoutMs: 10_000,
      });
      expect(E.isRight(r) && r.right.exitCode).toBe(i);
    }
    const during = server.stats();
    expect(during.creates - before.creates).toBe(1);
    expect(during.commands - before.commands).toBe(4);
    expect(during.signals - before.signals).toBe(4);
    // One TLS connection and one NTLM handshake for all of them.
    expect(during.connections - before.connections).toBe(1);
    expect(during.negotiations - before.negotiations).toBe(1);
    expect(server.openShells()).toBe(1);
    await transport.close();
    expect(server.stats().deletes - before.deletes).toBe(1);
    expect(server.openShells()).toBe(0);
  });

  it('deletes the shell when the machine is idle', async () => {
    const transport = transportWith(ntlm, { idleCloseMs: 100 });
    await transport.run(pinned(), command({}), { timeoutMs: 10_000 });
    expect(server.openShells()).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    expect(server.openShells()).toBe(0);
    await transport.close();
  });

  it('polls again on w:TimedOut until the command is done', async () => {
    const before = server.stats();
    const transport = transportWith(ntlm, { operationTimeoutMs: 1_000 });
    try {
      const r = await transport.run(pinned(), command({ sleepMs: 2_300 }), {
        timeoutMs: 15_000,
      });
      expect(E.isRight(r) && r.right.exitCode).toBe(0);
      expect(server.stats().timedOut - before.timedOut).toBeGreaterThanOrEqual(
        2,
      );
    } finally {
      await transport.close();
    }
  });

  it('ends a command that outlives its time with Timeout, and terminates it', async () => {
    const before = server.stats();
    const transport = transportWith(ntlm, { operationTimeoutMs: 1_000 });
    try {
      const r = await transport.run(pinned(), command({ sleepMs: 3_000 }), {
        timeoutMs: 1_500,
      });
      expect(E.isLeft(r) && r.left).toMatchObject({
        code: 'Timeout',
        transient: true,
      });
      expect(server.stats().signals - before.signals).toBe(1);
    } finally {
      await transport.close();
    }
  });

  it('gathers output split over several Receives and decodes UTF-8 once', async () => {
    const transport = transportWith(ntlm, { maxEnvelopeSize: 8_192 });
    const before = server.stats();
    try {
      const r = await transport.run(pinned(), command({ bytes: 40_000 }), {
        timeoutMs: 10_000,
      });
      expect(E.isRight(r) && r.right.stdout).toBe('é'.repeat(20_000));
      expect(server.stats().receives - before.receives).toBeGreaterThan(4);
    } finally {
      await transport.close();
    }
  });

  it('keeps CLIXML stderr for the host layer to decode', async () => {
    const transport = transportWith(ntlm);
    try {
      const r = await transport.run(
        pinned(),
        command({ clixml: true, exit: 1 }),
        {
          timeoutMs: 10_000,
        },
      );
      expect(E.isRight(r) && r.right.stderr).toContain('#< CLIXML');
    } finally {
      await transport.close();
    }
  });

  it.each([
    ['NTLMv2', ntlm],
    ['Basic', basic],
  ])(
    'refuses a wrong password over %s as a permanent LogonRefused',
    async (_, credentials) => {
      const transport = transportWith({
        ...credentials,
        password: Secret.of('wrong-password'),
      });
      try {
        const r = await transport.run(pinned(), command({}), {
          timeoutMs: 10_000,
        });
        expect(E.isLeft(r) && r.left).toMatchObject({
          code: 'LogonRefused',
          transient: false,
        });
        expect(JSON.stringify(r)).not.toContain('wrong-password');
      } finally {
        await transport.close();
      }
    },
  );

  it('refuses a certificate that is not the pinned one (TlsMismatch)', async () => {
    const before = server.stats();
    const transport = transportWith(basic);
    try {
      const r = await transport.run(
        machineAt(server.port, { certificateFingerprint: 'ab'.repeat(32) }),
        command({}),
        { timeoutMs: 10_000 },
      );
      expect(E.isLeft(r) && r.left).toMatchObject({
        code: 'TlsMismatch',
        transient: false,
      });
      // Nothing reached the server: no request, so no credentials sent.
      expect(server.stats().creates).toBe(before.creates);
    } finally {
      await transport.close();
    }
  });

  it('refuses the self-signed certificate without a pin or CA (system CAs)', async () => {
    const transport = transportWith(basic);
    try {
      const r = await transport.run(
        machineAt(server.port, undefined),
        command({}),
        {
          timeoutMs: 10_000,
        },
      );
      expect(E.isLeft(r) && r.left.code).toBe('TlsMismatch');
    } finally {
      await transport.close();
    }
  });

  it('accepts the certificate through a CA file, and skips checks only when told', async () => {
    const caFile = path.join(dir, 'ca.pem');
    await writeFile(caFile, server.caPem);
    const warnings: string[] = [];
    const transport = transportWith(basic, {
      logger: {
        debug: () => undefined,
        info: () => undefined,
        warn: (name) => warnings.push(name),
        error: () => undefined,
      },
    });
    try {
      const viaCa = await transport.run(
        machineAt(server.port, { caFile }),
        command({}),
        {
          timeoutMs: 10_000,
        },
      );
      expect(E.isRight(viaCa)).toBe(true);
      const insecure = await transport.run(
        machineAt(server.port, { insecureSkipVerify: true }),
        command({}),
        { timeoutMs: 10_000 },
      );
      expect(E.isRight(insecure)).toBe(true);
      expect(warnings).toContain('winrm.tls.unverified');
    } finally {
      await transport.close();
    }
  });

  it('reports a closed port as a transient Unreachable', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const transport = transportWith(basic);
    try {
      const r = await transport.run(
        machineAt(port, {
          certificateFingerprint: server.certificateFingerprint,
        }),
        command({}),
        { timeoutMs: 10_000 },
      );
      expect(E.isLeft(r) && r.left).toMatchObject({
        code: 'Unreachable',
        transient: true,
      });
    } finally {
      await transport.close();
    }
  });

  it('refuses plain-HTTP port 5985 with a clear error', async () => {
    const transport = transportWith(basic);
    const r = await transport.run(machineAt(5985, {}), command({}), {
      timeoutMs: 1_000,
    });
    expect(E.isLeft(r) && r.left.message).toMatch(/HTTPS listener/);
    await transport.close();
  });

  it('answers the shell quota with a transient CommandRefused naming it', async () => {
    const transports = [0, 1, 2, 3].map(() => transportWith(ntlm));
    try {
      const results = [];
      for (const t of transports) {
        results.push(await t.run(pinned(), command({}), { timeoutMs: 10_000 }));
      }
      expect(results.slice(0, 3).every(E.isRight)).toBe(true);
      const refused = results[3];
      expect(
        refused !== undefined && E.isLeft(refused) && refused.left,
      ).toMatchObject({
        code: 'CommandRefused',
        transient: true,
      });
      expect(
        refused !== undefined && E.isLeft(refused) && refused.left.message,
      ).toMatch(/quota exceeded \(WS-Man code 2150859173\)/);
    } finally {
      await Promise.all(transports.map((t) => t.close()));
    }
    expect(server.openShells()).toBe(0);
  });
});
