import { Secret, uidFromBytes, type Machine } from '@rotor/core';
import {
  SimDomain,
  SimHost,
  generateTestKey,
  simScript,
  startOpenSsh,
  startSimSshServer,
  openSshReady,
} from '@rotor/testkit';
import { asciiJson } from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSshTransport } from './sshTransport.js';

const haveOpenSsh = openSshReady();

// A simulated Windows host behind each kind of SSH server: the transport
// changes a service's stored password there and the host holds it.

const newHost = () =>
  new SimHost({
    computerName: 'APP01',
    domain: new SimDomain({
      netbios: 'CONTOSO',
      dns: 'contoso.com',
      accounts: [{ sam: 'svc-app', password: 'old-pw' }],
    }),
    services: [
      {
        name: 'AppSvc',
        account: 'CONTOSO\\svc-app',
        password: 'old-pw',
        state: 'running',
      },
    ],
  });

const machineAt = (port: number, fingerprint: string): Machine => ({
  type: 'machine',
  uid: uidFromBytes(randomBytes(16)),
  name: 'app-01',
  host: '127.0.0.1',
  port,
  protocol: 'ssh',
  gatewayUid: uidFromBytes(randomBytes(16)),
  adminUserUid: uidFromBytes(randomBytes(16)),
  trust: { hostKeyFingerprint: fingerprint },
});

const setCredential = (password: string) => ({
  operation: 'set-service-credential',
  script: simScript('set-service-credential'),
  input: asciiJson({ name: 'AppSvc', account: 'CONTOSO\\svc-app', password }),
});

describe('a simulated host over SSH', () => {
  it('takes a new service password through the ssh2 server', async () => {
    const host = newHost();
    const adminPassword = Secret.of('Adm1n-Pa55');
    const server = await startSimSshServer({
      host,
      users: [{ username: 'CONTOSO\\admin', password: adminPassword }],
    });
    const transport = createSshTransport({
      credentials: () =>
        Promise.resolve(
          E.right({ username: 'CONTOSO\\admin', password: adminPassword }),
        ),
    });

    const result = await transport.run(
      machineAt(server.port, server.hostKeyFingerprint),
      setCredential('Nëw-pw-1'),
      { timeoutMs: 10_000 },
    );
    await transport.close();
    await server.stop();

    expect(E.isRight(result) && result.right.exitCode).toBe(0);
    expect(host.service('AppSvc')?.password).toBe('Nëw-pw-1');
  });

  it.runIf(haveOpenSsh)(
    "takes a new service password through Debian's sshd",
    async () => {
      const host = newHost();
      const key = generateTestKey();
      const sshd = await startOpenSsh({
        host,
        authorizedKeys: [key.publicKeyLine],
      });
      const transport = createSshTransport({
        credentials: () =>
          Promise.resolve(
            E.right({ username: sshd.username, privateKey: key.privateKey }),
          ),
      });

      try {
        const result = await transport.run(
          machineAt(sshd.port, sshd.hostKeyFingerprint),
          setCredential('Nëw-pw-2'),
          { timeoutMs: 10_000 },
        );

        expect(E.isRight(result) && result.right.exitCode).toBe(0);
        expect(host.service('AppSvc')?.password).toBe('Nëw-pw-2');
      } finally {
        await transport.close();
        await sshd.stop();
      }
    },
  );
});
