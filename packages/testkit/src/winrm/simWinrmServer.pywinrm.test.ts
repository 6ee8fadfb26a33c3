import { Secret } from '@rotor/core';
import { asciiJson, bootstrapCommandLine, encodeStdin } from '@rotor/windows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimDomain } from '../sim/simDomain.js';
import { SimHost } from '../sim/simHost.js';
import { simScript } from '../sim/executeOnSimHost.js';
import { pywinrmReady, runPywinrm } from './pywinrm.js';
import { startSimWinrmServer, type SimWinrmServer } from './simWinrmServer.js';

// Debian's pywinrm against the simulated WinRM server, over HTTPS. CI must
// install python3-winrm: there this test fails instead of skipping.
const ready = pywinrmReady();
if (!ready && process.env['CI'] !== undefined) {
  throw new Error(
    'python3-winrm is not importable by /usr/bin/python3; CI must ' +
      '`apt-get install -y python3-winrm`',
  );
}
if (!ready) {
  console.warn(
    'skipping the pywinrm interop tests: `apt-get install -y python3-winrm`',
  );
}

const adminPassword = 'password';
// LM:NT hash pair of "password": Debian's ntlm-auth takes it, which avoids
// hashlib's MD4 (disabled in OpenSSL 3).
const ntlmHashPair =
  '00000000000000000000000000000000:8846f7eaee8fb117ad06bdd830b7586c';

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

let server: SimWinrmServer;
let host: SimHost;

beforeAll(async () => {
  host = newHost();
  server = await startSimWinrmServer({
    host,
    users: [{ username: 'vagrant', password: Secret.of(adminPassword) }],
  });
});

afterAll(async () => {
  await server.stop();
});

const [program = '', ...args] = bootstrapCommandLine().split(' ');

describe.runIf(ready)(
  "Debian's pywinrm against the simulated WinRM server",
  () => {
    it.each([
      ['basic', adminPassword],
      ['ntlm', ntlmHashPair],
    ] as const)(
      'changes a service password on the simulated host over HTTPS with %s logon',
      async (transport, password) => {
        const before = server.stats();
        const next = `Nëw-${transport}-1`;
        const result = await runPywinrm({
          url: server.url,
          user: 'vagrant',
          password,
          transport,
          command: program,
          args,
          stdin: encodeStdin(
            simScript('set-service-credential'),
            asciiJson({
              name: 'AppSvc',
              account: 'CONTOSO\\svc-app',
              password: next,
            }),
          ),
        });
        expect(result.stderr.toString('utf8')).toBe('');
        expect(result.exitCode).toBe(0);
        expect(host.service('AppSvc')?.password).toBe(next);
        const after = server.stats();
        expect(after.creates - before.creates).toBe(1);
        expect(after.deletes - before.deletes).toBe(1);
        expect(after.signals - before.signals).toBe(1);
        if (transport === 'ntlm') {
          expect(
            after.negotiations - before.negotiations,
          ).toBeGreaterThanOrEqual(1);
        }
        expect(server.openShells()).toBe(0);
      },
    );

    it("gets cmd.exe's refusal and exit code 1 for a command that is not the bootstrap", async () => {
      const result = await runPywinrm({
        url: server.url,
        user: 'vagrant',
        password: adminPassword,
        transport: 'basic',
        command: 'ipconfig',
        args: ['/all'],
      });
      expect(result.exitCode).toBe(1);
      expect(result.stderr.toString('utf8')).toContain(
        "'ipconfig' is not recognized",
      );
    });

    it('re-sends Receive after w:TimedOut until the command is done', async () => {
      const slow = await startSimWinrmServer({
        handler: () =>
          Promise.resolve({ stdout: 'late\r\n', stderr: '', exitCode: 3 }),
        users: [{ username: 'vagrant', password: Secret.of(adminPassword) }],
        commandDelayMs: 2_500,
      });
      try {
        const result = await runPywinrm({
          url: slow.url,
          user: 'vagrant',
          password: adminPassword,
          transport: 'basic',
          command: program,
          args,
          stdin: encodeStdin('# rotor-operation: echo\n', '{}'),
          operationTimeoutSec: 1,
        });
        expect(result.stdout.toString('utf8')).toBe('late\r\n');
        expect(result.exitCode).toBe(3);
        expect(slow.stats().timedOut).toBeGreaterThanOrEqual(1);
      } finally {
        await slow.stop();
      }
    });

    it('is refused with a wrong password', async () => {
      await expect(
        runPywinrm({
          url: server.url,
          user: 'vagrant',
          password: 'wrong',
          transport: 'basic',
          command: 'ipconfig',
        }),
      ).rejects.toThrow(/InvalidCredentialsError|credentials were rejected/);
    });
  },
);
