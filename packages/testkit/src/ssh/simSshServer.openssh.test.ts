import { bootstrapCommandLine, encodeStdin } from '@rotor/windows';
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimHandler } from './commandShell.js';
import { generateTestKey } from './hostKey.js';
import { openSshReady } from './openSshReady.js';
import { startSimSshServer, type SimSshServer } from './simSshServer.js';

const haveOpenSsh = openSshReady();

// Debian's OpenSSH client (openssh-client, installed in CI) against the
// ssh2 simulated server. Never skipped: a missing `ssh` fails the test.

const execFileAsync = promisify(execFile);

const handler: SimHandler = ({ script, input }) => {
  const { exit } = JSON.parse(input) as { exit?: number };

  return Promise.resolve({
    stdout: `${JSON.stringify({ first: script.split('\n')[0], input })}\r\n`,
    stderr: exit === undefined ? '' : 'Access is denied.\r\n',
    exitCode: exit ?? 0,
  });
};

let dir: string;
let server: SimSshServer;
let knownHosts: string;
let identity: string;

beforeAll(async () => {
  if (!haveOpenSsh) {
    return;
  }
  dir = await mkdtemp(join(tmpdir(), 'rotor-sshclient-'));
  identity = join(dir, 'id_ed25519');
  await execFileAsync('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-f',
    identity,
  ]);
  server = await startSimSshServer({
    handler,
    users: [
      {
        username: 'Administrator',
        publicKeys: [await readFile(`${identity}.pub`, 'utf8')],
      },
    ],
  });
  knownHosts = join(dir, 'known_hosts');
  await writeFile(knownHosts, `${server.knownHostsLine}\n`);
});

afterAll(async () => {
  if (!haveOpenSsh) {
    return;
  }
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

const ssh = (
  commandLine: string,
  stdin: string,
  hostsFile = knownHosts,
): Promise<{ stdout: string; stderr: string; code: number | null }> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      'ssh',
      [
        '-F',
        '/dev/null',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=yes',
        '-o',
        `UserKnownHostsFile=${hostsFile}`,
        '-o',
        'GlobalKnownHostsFile=/dev/null',
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'ConnectTimeout=10',
        '-i',
        identity,
        '-p',
        String(server.port),
        'Administrator@127.0.0.1',
        commandLine,
      ],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
    child.stdin.end(stdin);
  });

describe.runIf(haveOpenSsh)(
  "Debian's ssh client against the simulated server",
  () => {
    it('runs the bootstrap with the operation on stdin', async () => {
      const script = '# rotor-operation: list-services\r\nGet-Service\r\n';
      const input = '{"user":"CONTOSO\\\\svc-app","n":"\\u00e9"}';

      const result = await ssh(
        bootstrapCommandLine(),
        encodeStdin(script, input),
      );

      expect(result).toEqual({
        stdout: `${JSON.stringify({ first: '# rotor-operation: list-services\r', input })}\r\n`,
        stderr: '',
        code: 0,
      });
    });

    it("passes the operation's stderr and exit code through", async () => {
      const result = await ssh(
        bootstrapCommandLine(),
        encodeStdin('# rotor-operation: x\n', '{"exit":5}'),
      );

      expect(result.code).toBe(5);
      expect(result.stderr).toBe('Access is denied.\r\n');
    });

    it("gets cmd.exe's refusal for a command line over 8191 characters", async () => {
      const result = await ssh(
        `${bootstrapCommandLine()} ${'A'.repeat(8200)}`,
        '',
      );

      expect(result).toEqual({
        stdout: '',
        stderr: 'The command line is too long.\r\n',
        code: 1,
      });
    });

    it("gets cmd.exe's answer for an unknown command", async () => {
      const result = await ssh('ipconfig /all', '');

      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        "'ipconfig' is not recognized as an internal or external command,\r\n" +
          'operable program or batch file.\r\n',
      );
    });

    it('refuses to talk to the server when known_hosts has another key', async () => {
      const other = join(dir, 'other_known_hosts');
      await writeFile(
        other,
        `[127.0.0.1]:${server.port} ${generateTestKey().publicKeyLine}\n`,
      );

      const result = await ssh(bootstrapCommandLine(), '', other);

      expect(result.code).toBe(255);
      expect(result.stderr).toContain('HOST IDENTIFICATION HAS CHANGED');
    });

    it('prints the same host key fingerprint as the server reports', async () => {
      const { stdout } = await execFileAsync('ssh-keygen', [
        '-l',
        '-f',
        knownHosts,
      ]);

      expect(stdout).toContain(server.hostKeyFingerprint);
    });
  },
);
