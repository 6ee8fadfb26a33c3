import {
  silentLogger,
  type Machine,
  type RemoteCommand,
  type RemoteResult,
  type RunOptions,
  type Transport,
  type TransportError,
} from '@rotor/core';
import { bootstrapCommandLine, encodeStdin } from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';
import { readFile } from 'node:fs/promises';
import type { Client } from 'ssh2';
import { openConnection } from './connect.js';
import { execCommand } from './execCommand.js';
import { hostKeyPolicy, type HostKeyPolicy } from './hostKeyPolicy.js';
import type { ResolvedSshOptions, SshTransportOptions } from './options.js';
import { transportError } from './transportError.js';

interface Connection {
  readonly opened: Promise<E.Either<TransportError, Client>>;
  client?: Client;
  active: number;
  readonly waiting: Array<() => void>;
  idleTimer?: NodeJS.Timeout;
}

const defaults = {
  connectTimeoutMs: 15_000,
  keepaliveIntervalMs: 15_000,
  idleCloseMs: 30_000,
  maxOutputBytes: 16 * 1024 * 1024,
  maxChannelsPerConnection: 4,
  logger: silentLogger,
};

const policyFor = async (
  machine: Machine,
): Promise<E.Either<TransportError, HostKeyPolicy>> => {
  const { host, port, trust } = machine;
  if (trust?.hostKeyFingerprint !== undefined) {
    return E.right(
      hostKeyPolicy(host, port, {
        _tag: 'Pinned',
        fingerprint: trust.hostKeyFingerprint,
      }),
    );
  }
  const file = trust?.knownHostsFile;
  if (file === undefined) {
    return E.right(hostKeyPolicy(host, port, { _tag: 'None' }));
  }
  try {
    const text = await readFile(file, 'utf8');

    return E.right(
      hostKeyPolicy(host, port, { _tag: 'KnownHosts', file, text }),
    );
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';

    return E.left(
      transportError(
        'HostKeyMismatch',
        machine.uid,
        `cannot read the known_hosts file ${file} (${code}), so the host ` +
          `key of ${host}:${port} cannot be verified`,
      ),
    );
  }
};

/**
 * The SSH transport: runs each operation as the `powershell.exe …
 * -EncodedCommand` bootstrap with the script and its input on stdin. One
 * connection per machine (by uid) serves every command, is closed after
 * `idleCloseMs` without a command, and by `close()`. Host keys are always
 * verified: by `trust.hostKeyFingerprint`, else by `trust.knownHostsFile`;
 * a machine with neither is refused (`HostKeyMismatch`, naming the offered
 * fingerprint).
 *
 * @category constructors
 */
export const createSshTransport = (
  userOptions: SshTransportOptions,
): Transport => {
  const options: ResolvedSshOptions = { ...defaults, ...userOptions };
  const { logger } = options;
  const connections = new Map<string, Connection>();
  const commandLine = bootstrapCommandLine();

  const drop = (uid: string, entry: Connection, reason: string): void => {
    clearTimeout(entry.idleTimer);
    if (connections.get(uid) === entry) {
      connections.delete(uid);
      logger.debug('ssh.connection.closed', { machine: uid, reason });
    }
    entry.client?.end();
  };

  const connect = async (
    machine: Machine,
  ): Promise<E.Either<TransportError, Client>> => {
    const policy = await policyFor(machine);
    if (E.isLeft(policy)) {
      return policy;
    }
    const credentials = await options.credentials(machine);
    if (E.isLeft(credentials)) {
      return E.left(
        transportError(
          'LogonRefused',
          machine.uid,
          `no credentials for ${machine.name}: ${credentials.left.message}`,
          credentials.left.transient ?? false,
        ),
      );
    }

    return openConnection(machine, credentials.right, policy.right, options);
  };

  const connectionFor = (machine: Machine): Connection => {
    const existing = connections.get(machine.uid);
    if (existing !== undefined) {
      return existing;
    }
    const entry: Connection = {
      opened: connect(machine).then((result) => {
        if (E.isLeft(result)) {
          drop(machine.uid, entry, 'failed');
          logger.warn('ssh.connect.failed', {
            machine: machine.uid,
            code: result.left.code,
          });

          return result;
        }
        entry.client = result.right;
        result.right.once('close', () => drop(machine.uid, entry, 'ended'));
        logger.debug('ssh.connect.opened', { machine: machine.uid });

        return result;
      }),
      active: 0,
      waiting: [],
    };
    connections.set(machine.uid, entry);

    return entry;
  };

  const acquire = (entry: Connection): Promise<void> => {
    clearTimeout(entry.idleTimer);
    if (entry.active < options.maxChannelsPerConnection) {
      entry.active++;

      return Promise.resolve();
    }

    return new Promise((resolve) =>
      entry.waiting.push(() => {
        entry.active++;
        resolve();
      }),
    );
  };

  const release = (uid: string, entry: Connection): void => {
    entry.active--;
    const next = entry.waiting.shift();
    if (next !== undefined) {
      next();

      return;
    }
    if (entry.active === 0) {
      // The idle close must not keep a finished process alive.
      entry.idleTimer = setTimeout(
        () => drop(uid, entry, 'idle'),
        options.idleCloseMs,
      ).unref();
    }
  };

  const run = async (
    machine: Machine,
    command: RemoteCommand,
    runOptions: RunOptions,
  ): Promise<E.Either<TransportError, RemoteResult>> => {
    const entry = connectionFor(machine);
    await acquire(entry);
    try {
      const client = await entry.opened;
      if (E.isLeft(client)) {
        return client;
      }
      const started = Date.now();
      const result = await execCommand(client.right, {
        machineUid: machine.uid,
        commandLine,
        stdin: encodeStdin(command.script, command.input),
        timeoutMs: runOptions.timeoutMs,
        maxOutputBytes: options.maxOutputBytes,
      });
      logger.debug('ssh.command.finished', {
        machine: machine.uid,
        operation: command.operation,
        durationMs: Date.now() - started,
        ...(E.isRight(result)
          ? { exitCode: result.right.exitCode }
          : { error: result.left.code }),
      });

      return result;
    } finally {
      release(machine.uid, entry);
    }
  };

  const close = async (): Promise<void> => {
    const all = [...connections.entries()];
    await Promise.all(
      all.map(async ([uid, entry]) => {
        const client = await entry.opened;
        drop(uid, entry, 'closed');
        if (E.isRight(client)) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 2_000);
            client.right.once('close', () => {
              clearTimeout(timer);
              resolve();
            });
          });
        }
      }),
    );
  };

  return { run, close };
};
