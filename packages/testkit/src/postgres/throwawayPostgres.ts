import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  findPostgresBin,
  serverAccount,
  type OsAccount,
} from './findPostgres.js';

/**
 * Options of {@link startThrowawayPostgres}.
 *
 * @category testing
 */
export interface ThrowawayPostgresOptions {
  /** The server programs' folder; found by `findPostgresBin` when absent. */
  readonly bin?: string;
  /** How long start-up may take before it is abandoned; 60 s. */
  readonly startTimeoutMs?: number;
}

/**
 * A running scratch PostgreSQL cluster on 127.0.0.1. Connect with
 * `connectionString` (user `postgres`, a random password, database
 * `postgres`); `stop` ends the server by its pid and deletes its folder.
 *
 * @category testing
 */
export interface ThrowawayPostgres {
  readonly connectionString: string;
  readonly port: number;
  readonly pid: number;
  /** The temporary folder of the data directory, socket and log. */
  readonly dir: string;
  /** What the server logged so far. */
  readonly log: () => string;
  /**
   * Stops the cluster and cleans up what was started for it; a second call
   * returns the first call's promise.
   */
  readonly stop: () => Promise<void>;
}

const freePort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));

  return port;
};

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

const asAccount = (account: OsAccount | undefined) =>
  account === undefined ? {} : { uid: account.uid, gid: account.gid };

const runAs = (
  file: string,
  args: ReadonlyArray<string>,
  account: OsAccount | undefined,
): Promise<{ code: number; output: string }> =>
  new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { ...asAccount(account), timeout: 120_000, env: { LANG: 'C' } },
      (error, stdout, stderr) => {
        const code =
          error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });

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

// Settings for a scratch cluster on a small shared machine: durability is
// pointless for data thrown away after the run, memory is kept small.
const serverSettings = [
  'listen_addresses=127.0.0.1',
  'fsync=off',
  'synchronous_commit=off',
  'full_page_writes=off',
  'shared_buffers=16MB',
  'max_connections=60',
  'logging_collector=off',
];

/**
 * Starts a throw-away PostgreSQL cluster: `initdb` into a new temporary
 * folder (password authentication over TCP, the password passed in a file,
 * never on a command line), then `postgres` on a free 127.0.0.1 port, as a
 * child process whose pid `stop` signals. Run as root, both run as the
 * `postgres` OS account (they refuse root), which then owns the folder.
 *
 * Rejects, after removing the folder, when PostgreSQL is not installed
 * (install Debian's `postgresql`) or does not become ready in time.
 *
 * @example
 * const pg = await startThrowawayPostgres();
 * try {
 *   // new pg.Pool({ connectionString: pg.connectionString }) …
 * } finally {
 *   await pg.stop();
 * }
 *
 * @category testing
 */
export const startThrowawayPostgres = async (
  options: ThrowawayPostgresOptions = {},
): Promise<ThrowawayPostgres> => {
  const bin = options.bin ?? findPostgresBin();
  if (bin === undefined || !existsSync(join(bin, 'initdb'))) {
    throw new Error(
      'PostgreSQL is not installed: apt-get install -y postgresql, or set ROTOR_TEST_POSTGRES_URL',
    );
  }
  const isRoot = process.getuid?.() === 0;
  const account = isRoot ? serverAccount() : undefined;
  if (isRoot && account === undefined) {
    throw new Error('running as root needs a postgres (or nobody) OS account');
  }
  const dir = await mkdtemp(join(tmpdir(), 'rotor-pg-'));
  let child: ChildProcess | undefined;
  let logFd: number | undefined;
  const logPath = join(dir, 'server.log');
  const log = () => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };
  const kill = (signal: NodeJS.Signals) => {
    const pid = child?.pid;
    if (pid !== undefined && child?.exitCode === null) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
  };
  // A test run that exits without calling stop still ends the server.
  const onExit = () => kill('SIGQUIT');
  const cleanup = async () => {
    process.off('exit', onExit);
    if (child !== undefined) {
      kill('SIGINT');
      if (!(await exited(child, 10_000))) {
        kill('SIGKILL');
        await exited(child, 5_000);
      }
    }
    if (logFd !== undefined) {
      closeSync(logFd);
      logFd = undefined;
    }
    await rm(dir, { recursive: true, force: true });
  };

  try {
    const password = randomBytes(18).toString('base64url');
    const pwfile = join(dir, 'pwfile');
    await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
    if (account !== undefined) {
      await chown(dir, account.uid, account.gid);
      await chown(pwfile, account.uid, account.gid);
    }
    await chmod(dir, 0o700);
    const data = join(dir, 'data');
    const init = await runAs(
      join(bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        'postgres',
        '-E',
        'UTF8',
        '--no-locale',
        '--no-sync',
        '--auth-local=trust',
        '--auth-host=scram-sha-256',
        `--pwfile=${pwfile}`,
      ],
      account,
    );
    await rm(pwfile, { force: true });
    if (init.code !== 0) {
      throw new Error(
        `initdb failed (${init.code}): ${init.output.slice(-2000)}`,
      );
    }

    const port = await freePort();
    logFd = openSync(logPath, 'a', 0o600);
    child = spawn(
      join(bin, 'postgres'),
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        ...serverSettings.flatMap((s) => ['-c', s]),
      ],
      {
        ...asAccount(account),
        stdio: ['ignore', logFd, logFd],
        env: { LANG: 'C' },
      },
    );
    process.on('exit', onExit);
    const started = child;
    const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
    for (;;) {
      if (started.exitCode !== null || started.signalCode !== null) {
        throw new Error(`postgres exited at start: ${log().slice(-2000)}`);
      }
      const ready = await runAs(
        join(bin, 'pg_isready'),
        ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '2'],
        undefined,
      );
      if (ready.code === 0) {
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(`postgres not ready in time: ${log().slice(-2000)}`);
      }
      await sleep(100);
    }
    const pid = started.pid;
    if (pid === undefined) {
      throw new Error('postgres started without a pid');
    }

    let stopped: Promise<void> | undefined;

    return {
      connectionString: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
      port,
      pid,
      dir,
      log,
      stop: () => (stopped ??= cleanup()),
    };
  } catch (cause) {
    await cleanup();
    throw cause;
  }
};
