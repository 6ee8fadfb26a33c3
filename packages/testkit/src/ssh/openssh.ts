import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  chmod,
  mkdir,
  mkdtemp,
  readFile,
  rm,
  writeFile,
} from 'node:fs/promises';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describeKey } from './hostKey.js';
import { handlerOf, type SimBackend } from './simBackend.js';
import { startRelay } from './relay.js';
import { standInScript } from './standIn.js';

const run = promisify(execFile);

/**
 * Options of {@link startOpenSsh}: the simulated host (or handler) that
 * answers operations, the public keys (OpenSSH lines) allowed to log on as
 * the current OS user, and where sshd is (default `/usr/sbin/sshd`).
 *
 * @category testing
 */
export type OpenSshOptions = SimBackend & {
  readonly authorizedKeys: ReadonlyArray<string>;
  readonly sshdPath?: string;
  readonly startTimeoutMs?: number;
};

/**
 * A running Debian `sshd` on loopback whose `powershell.exe` is a stand-in
 * that hands each request to the handler. Log on as `username` (the OS
 * user running the tests) with one of the authorized keys.
 *
 * @category testing
 */
export interface OpenSshServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly pid: number;
  readonly username: string;
  readonly hostKeyFingerprint: string;
  readonly hostPublicKey: string;
  readonly knownHostsLine: string;
  /** The temp dir holding the config, keys, stand-in and relay socket. */
  readonly dir: string;
  /** TCP connections sshd accepted so far (read from its log). */
  readonly connections: () => number;
  /** Successful logons so far (read from its log). */
  readonly logons: () => number;
  /** What sshd wrote on stderr so far. */
  readonly log: () => string;
  /** Stops sshd and cleans up what was started for it. */
  readonly stop: () => Promise<void>;
}

/**
 * Where sshd is, or `undefined` when OpenSSH's server is not installed.
 *
 * @category testing
 */
export const findSshd = (path = '/usr/sbin/sshd'): string | undefined =>
  existsSync(path) ? path : undefined;

const freePort = async (): Promise<number> => {
  const probe: Server = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));

  return port;
};

const sshdConfig = (dir: string, port: number, username: string): string =>
  [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    `AllowUsers ${username}`,
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    // The temp dir sits under a world-writable /tmp, which StrictModes
    // would reject for the authorized keys file.
    'StrictModes no',
    `SetEnv PATH=${join(dir, 'bin')}:/usr/local/bin:/usr/bin:/bin`,
    'LogLevel VERBOSE',
    'MaxStartups 50',
    'PrintMotd no',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    '',
  ].join('\n');

const exited = (child: ChildProcess, ms: number): Promise<boolean> =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(true)
    : new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), ms);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve(true);
        });
      });

const waitListening = (
  child: ChildProcess,
  log: () => string,
  port: number,
  ms: number,
): Promise<boolean> =>
  new Promise((resolve) => {
    const ready = `Server listening on 127.0.0.1 port ${port}`;
    const check = (): void => {
      if (log().includes(ready)) {
        done(true);
      }
    };
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
      resolve(ok);
    };
    const onExit = (): void => done(false);
    const timer = setTimeout(() => done(false), ms);
    child.stderr?.on('data', check);
    child.once('exit', onExit);
    check();
  });

/**
 * Starts Debian's sshd as a child process (`sshd -D -e -f <config>`) on a
 * free loopback port, with a config, host key, authorized keys and a
 * `powershell.exe` stand-in in a fresh temp dir. Resolves once sshd
 * listens; `stop()` ends it by its pid and removes the temp dir. Throws
 * when sshd is missing or does not start (a broken test environment).
 *
 * @category testing
 */
export const startOpenSsh = async (
  options: OpenSshOptions,
): Promise<OpenSshServer> => {
  const sshd = findSshd(options.sshdPath);
  if (sshd === undefined) {
    throw new Error('sshd not found: install openssh-server');
  }
  const username = userInfo().username;
  const dir = await mkdtemp(join(tmpdir(), 'rotor-sshd-'));
  const relay = await startRelay(join(dir, 'relay.sock'), handlerOf(options));
  try {
    const hostKeyFile = join(dir, 'host_ed25519');
    await run('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      '',
      '-f',
      hostKeyFile,
    ]);
    const hostKey = describeKey(await readFile(hostKeyFile, 'utf8'));
    await writeFile(
      join(dir, 'authorized_keys'),
      options.authorizedKeys.join('\n') + '\n',
      { mode: 0o600 },
    );
    await mkdir(join(dir, 'bin'));
    const standIn = join(dir, 'bin', 'powershell.exe');
    await writeFile(
      standIn,
      standInScript(process.execPath, join(dir, 'relay.sock')),
    );
    await chmod(standIn, 0o755);
    // sshd's privilege separation needs this directory; Debian creates it
    // only when the service starts.
    if (!existsSync('/run/sshd') && process.getuid?.() === 0) {
      await mkdir('/run/sshd', { mode: 0o755, recursive: true });
    }

    for (let attempt = 1; ; attempt++) {
      const port = await freePort();
      const config = join(dir, 'sshd_config');
      await writeFile(config, sshdConfig(dir, port, username));
      const child = spawn(sshd, ['-D', '-e', '-f', config], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let text = '';
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        text += chunk;
      });
      const log = (): string => text;
      const listening = await waitListening(
        child,
        log,
        port,
        options.startTimeoutMs ?? 10_000,
      );
      if (!listening || child.pid === undefined) {
        child.kill('SIGKILL');
        // Another process may have taken the port between probe and bind.
        if (attempt < 3 && /Address already in use/.test(text)) {
          continue;
        }
        throw new Error(`sshd did not start: ${text.trim()}`);
      }
      const pid = child.pid;
      const count = (pattern: RegExp): number =>
        text.split('\n').filter((line) => pattern.test(line)).length;

      const stop = async (): Promise<void> => {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
        if (!(await exited(child, 5_000))) {
          process.kill(pid, 'SIGKILL');
          await exited(child, 2_000);
        }
        // A stand-in still waiting on the handler keeps the relay open;
        // do not wait for it longer than a moment.
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 2_000);
          relay.close(() => {
            clearTimeout(timer);
            resolve(undefined);
          });
        });
        await rm(dir, { recursive: true, force: true });
      };

      return {
        host: '127.0.0.1',
        port,
        pid,
        username,
        hostKeyFingerprint: hostKey.fingerprint,
        hostPublicKey: hostKey.publicKeyLine,
        knownHostsLine: `[127.0.0.1]:${port} ${hostKey.publicKeyLine}`,
        dir,
        connections: () => count(/Connection from 127\.0\.0\.1 port/),
        logons: () => count(/Accepted publickey for /),
        log,
        stop,
      };
    }
  } catch (error) {
    relay.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
};
