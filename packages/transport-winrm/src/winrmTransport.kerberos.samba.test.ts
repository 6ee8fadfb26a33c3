import {
  Secret,
  silentLogger,
  uidFromBytes,
  type Logger,
  type Machine,
} from '@rotor/core';
import {
  generateTestCertificate,
  sambaSkipReason,
  startSimWinrmServer,
  startThrowawaySamba,
  type SimHandler,
  type SimWinrmServer,
  type ThrowawaySamba,
} from '@rotor/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKerberos } from './kerberosLibrary.js';
import type { KerberosSettings, WinrmCredentials } from './options.js';
import { createWinrmTransport } from './winrmTransport.js';

// WinRM over HTTPS with Kerberos: the ticket comes from a throw-away Samba
// DC (its own network namespace), the simulated WinRM server accepts it
// with the keytab exported from that DC for HTTP/win1.corp.example.

const kerberosLoaded = await loadKerberos();
const ci = (process.env['CI'] ?? '') !== '';
const skip =
  sambaSkipReason() ??
  (typeof kerberosLoaded === 'string' && !ci ? kerberosLoaded : undefined);
if (skip !== undefined) {
  console.warn(`skipping the WinRM Kerberos suite: ${skip}`);
}

const serviceHost = 'win1.corp.example';
const password = Secret.of('Kerb-Pass-1234!');
// What the simulated server would take over NTLM: not the domain password,
// so a logon that works here went through Kerberos.
const ntlmOnlyPassword = Secret.of('Ntlm-Only-5678!');

const handler: SimHandler = ({ input }) =>
  Promise.resolve({ stdout: `ran ${input}`, stderr: '', exitCode: 0 });

const command = {
  operation: 'echo',
  script: '# rotor-operation: echo\nWrite-Output $args[0]\n',
  input: '{"n":1}',
};

const recordingLogger = () => {
  const names: string[] = [];
  const logger: Logger = {
    ...silentLogger,
    debug: (name) => void names.push(name),
  };

  return { names, logger };
};

describe.skipIf(skip !== undefined)('WinRM with Kerberos from Samba', () => {
  let dc: ThrowawaySamba;
  let server: SimWinrmServer;

  beforeAll(async () => {
    dc = await startThrowawaySamba({ kerberosServices: [serviceHost] });
    await dc.tool.createUser('svc-app', password);
    // The acceptor (in this process) reads the realm's configuration too.
    process.env['KRB5_CONFIG'] = dc.krb5Config;
    const service = dc.kerberosServices[0];
    if (service === undefined) {
      throw new Error('no Kerberos service was registered');
    }
    server = await startSimWinrmServer({
      handler,
      users: [{ username: 'svc-app', password: ntlmOnlyPassword }],
      basic: false,
      kerberos: service,
    });
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
    await dc?.stop();
  });

  const machine = (port = server.port, fingerprint?: string): Machine => ({
    type: 'machine',
    uid: uidFromBytes(randomBytes(16)),
    name: 'win1',
    host: '127.0.0.1',
    port,
    protocol: 'winrm',
    gatewayUid: uidFromBytes(randomBytes(16)),
    adminUserUid: uidFromBytes(randomBytes(16)),
    trust: {
      certificateFingerprint: fingerprint ?? server.certificateFingerprint,
    },
  });

  const kerberos = (): KerberosSettings => ({
    servicePrincipal: `HTTP@${serviceHost}`,
    config: dc.krb5Config,
  });

  const run = async (
    credentials: WinrmCredentials,
    target: Machine = machine(),
    logger: Logger = silentLogger,
  ) => {
    const transport = createWinrmTransport({
      credentials: () => Promise.resolve(E.right(credentials)),
      connectTimeoutMs: 10_000,
      logger,
    });
    try {
      const first = await transport.run(target, command, { timeoutMs: 15_000 });
      // The second runs on the connection the first authenticated.
      const second = await transport.run(target, command, {
        timeoutMs: 15_000,
      });

      return { first, second };
    } finally {
      await transport.close();
    }
  };

  it('logs on with a ticket the DC issued and runs operations', async () => {
    const before = server.stats();
    const { first, second } = await run({
      username: 'svc-app@corp.example',
      password,
      authentication: 'kerberos',
      kerberos: kerberos(),
    });
    expect(first).toEqual(
      E.right({ stdout: 'ran {"n":1}', stderr: '', exitCode: 0 }),
    );
    expect(second).toEqual(first);
    expect(server.stats().negotiations - before.negotiations).toBe(1);
  });

  it('refuses a wrong password at the KDC, without the password in the message', async () => {
    const wrong = Secret.of('Wrong-Pass-999!');
    const { first } = await run({
      username: 'svc-app@corp.example',
      password: wrong,
      authentication: 'kerberos',
      kerberos: kerberos(),
    });
    expect(first).toMatchObject(
      E.left({ code: 'LogonRefused', transient: false }),
    );
    const message = E.isLeft(first) ? first.left.message : '';
    expect(message).toMatch(/Password incorrect|Preauthentication failed/);
    expect(message).not.toContain(wrong.reveal());
  });

  it('negotiate uses Kerberos first, and does not retry a refused password over NTLM', async () => {
    const good = recordingLogger();
    const { first } = await run(
      {
        username: 'CORP\\svc-app',
        password,
        kerberos: { ...kerberos(), realm: dc.realm },
      },
      machine(),
      good.logger,
    );
    expect(E.isRight(first)).toBe(true);
    expect(good.names).not.toContain('winrm.kerberos.fallback');

    const before = server.stats();
    const refused = await run({
      username: 'CORP\\svc-app',
      password: ntlmOnlyPassword,
      kerberos: { ...kerberos(), realm: dc.realm },
    });
    expect(refused.first).toMatchObject(E.left({ code: 'LogonRefused' }));
    expect(server.stats().negotiations).toBe(before.negotiations);
  });

  it('negotiate falls back to NTLM when there is no ticket for the SPN', async () => {
    const log = recordingLogger();
    const { first } = await run(
      {
        username: 'CORP\\svc-app',
        password: ntlmOnlyPassword,
        kerberos: {
          ...kerberos(),
          realm: dc.realm,
          ccache: 'FILE:/nonexistent/rotor-ccache',
        },
      },
      machine(),
      log.logger,
    );
    expect(E.isRight(first)).toBe(true);
    expect(log.names).toContain('winrm.kerberos.fallback');
  });

  it('refuses a server that does not prove itself (no reply token)', async () => {
    const certificate = await generateTestCertificate();
    const impostor: Server = createServer(
      { cert: certificate.certPem, key: certificate.keyPem },
      (_req, res) => {
        res.writeHead(200, { 'Content-Length': 0 });
        res.end();
      },
    );
    await new Promise<void>((resolve) =>
      impostor.listen(0, '127.0.0.1', resolve),
    );
    try {
      const port = (impostor.address() as AddressInfo).port;
      const { first } = await run(
        {
          username: 'svc-app@corp.example',
          password,
          authentication: 'kerberos',
          kerberos: kerberos(),
        },
        machine(port, certificate.sha256),
      );
      expect(first).toMatchObject(E.left({ code: 'LogonRefused' }));
      expect(E.isLeft(first) && first.left.message).toMatch(
        /mutual authentication failed/,
      );
    } finally {
      await new Promise<void>((resolve) => impostor.close(() => resolve()));
    }
  });
});
