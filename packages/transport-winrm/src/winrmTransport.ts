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
import { openEndpoint, type HttpEndpoint } from './httpEndpoint.js';
import type { ResolvedWinrmOptions, WinrmTransportOptions } from './options.js';
import { createShell, deleteShell, runInShell } from './shell.js';
import { tlsPolicyOf } from './tlsTrust.js';
import { transportError } from './transportError.js';
import { wsmanClient, type WsmanClient } from './wsmanClient.js';

interface Session {
  readonly endpoint: HttpEndpoint;
  readonly client: WsmanClient;
  shellId?: string;
}

interface Entry {
  readonly opened: Promise<E.Either<TransportError, Session>>;
  /** The tail of this machine's queue: commands run one at a time. */
  tail: Promise<void>;
  idleTimer?: NodeJS.Timeout;
}

const defaults = {
  connectTimeoutMs: 15_000,
  operationTimeoutMs: 20_000,
  readMarginMs: 10_000,
  idleCloseMs: 30_000,
  maxOutputBytes: 16 * 1024 * 1024,
  maxEnvelopeSize: 153_600,
  path: '/wsman',
  logger: silentLogger,
};

/** The HTTP-only WinRM port, refused until message encryption is supported. */
// TODO(4): NTLM sealing of every message (multipart/encrypted) for 5985,
// when a fleet cannot have an HTTPS listener.
const httpPort = 5985;

/**
 * The WinRM transport: runs each operation as the `powershell.exe …
 * -EncodedCommand` bootstrap in a cmd shell (UTF-8), with the script and
 * its input sent on stdin. One HTTPS connection and one shell per machine
 * (by uid) serve all of a job's commands, one at a time; the shell is
 * deleted after `idleCloseMs` without a command and by `close()`. The
 * certificate is always checked unless the machine's trust sets
 * `insecureSkipVerify`. Port 5985 (plain HTTP) is refused.
 *
 * @category constructors
 */
export const createWinrmTransport = (
  userOptions: WinrmTransportOptions,
): Transport => {
  const options: ResolvedWinrmOptions = { ...defaults, ...userOptions };
  const { logger } = options;
  const entries = new Map<string, Entry>();
  const commandLine = bootstrapCommandLine();

  const open = async (
    machine: Machine,
  ): Promise<E.Either<TransportError, Session>> => {
    const where = `${machine.host}:${machine.port}`;
    if (machine.port === httpPort) {
      return E.left(
        transportError(
          'ProtocolError',
          machine.uid,
          `WinRM over plain HTTP (${where}) is not supported: configure ` +
            'the HTTPS listener (port 5986)',
          false,
        ),
      );
    }
    const trust = tlsPolicyOf(machine.trust);
    if ('error' in trust) {
      return E.left(
        transportError('TlsMismatch', machine.uid, trust.error, false),
      );
    }
    let ca: Buffer | undefined;
    if (trust.policy._tag === 'CaFile') {
      try {
        ca = await readFile(trust.policy.file);
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';

        return E.left(
          transportError(
            'TlsMismatch',
            machine.uid,
            `cannot read the CA file ${trust.policy.file} (${code}), so the ` +
              `certificate of ${where} cannot be verified`,
            false,
          ),
        );
      }
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
    const endpoint = openEndpoint({
      machineUid: machine.uid,
      host: machine.host,
      port: machine.port,
      path: options.path,
      policy: trust.policy,
      ...(ca !== undefined ? { ca } : {}),
      credentials: credentials.right,
      connectTimeoutMs: options.connectTimeoutMs,
      maxReplyBytes: options.maxEnvelopeSize * 4,
      logger,
    });
    const host = machine.host.includes(':')
      ? `[${machine.host}]`
      : machine.host;

    return E.right({
      endpoint,
      client: wsmanClient(endpoint, {
        machineUid: machine.uid,
        to: `https://${host}:${machine.port}${options.path}`,
        maxEnvelopeSize: options.maxEnvelopeSize,
        readMarginMs: options.readMarginMs,
      }),
    });
  };

  const release = async (
    uid: string,
    session: Session,
    reason: string,
  ): Promise<void> => {
    const shellId = session.shellId;
    delete session.shellId;
    if (shellId !== undefined) {
      const deleted = await deleteShell(session.client, shellId);
      logger.debug('winrm.shell.deleted', {
        machine: uid,
        reason,
        ...(E.isLeft(deleted) ? { error: deleted.left._tag } : {}),
      });
    }
    session.endpoint.destroy();
  };

  const drop = (uid: string, entry: Entry, reason: string): Promise<void> => {
    clearTimeout(entry.idleTimer);
    if (entries.get(uid) === entry) {
      entries.delete(uid);
    }
    const done = entry.tail.then(async () => {
      const session = await entry.opened;
      if (E.isRight(session)) {
        await release(uid, session.right, reason);
      }
    });
    entry.tail = done;

    return done;
  };

  const entryFor = (machine: Machine): Entry => {
    const existing = entries.get(machine.uid);
    if (existing !== undefined) {
      return existing;
    }
    const entry: Entry = { opened: open(machine), tail: Promise.resolve() };
    entries.set(machine.uid, entry);
    void entry.opened.then((result) => {
      if (E.isLeft(result) && entries.get(machine.uid) === entry) {
        entries.delete(machine.uid);
        logger.warn('winrm.connect.failed', {
          machine: machine.uid,
          code: result.left.code,
        });
      }
    });

    return entry;
  };

  const execute = async (
    machine: Machine,
    session: Session,
    command: RemoteCommand,
    deadline: number,
  ): Promise<E.Either<TransportError, RemoteResult>> => {
    const stdin = Buffer.from(encodeStdin(command.script, command.input));
    for (let attempt = 0; attempt < 2; attempt++) {
      if (session.shellId === undefined) {
        const created = await createShell(session.client, machine.uid);
        if (E.isLeft(created)) {
          return created;
        }
        session.shellId = created.right;
        logger.debug('winrm.shell.created', { machine: machine.uid });
      }
      const result = await runInShell(
        session.client,
        session.shellId,
        commandLine,
        stdin,
        {
          machineUid: machine.uid,
          deadline,
          operationTimeoutMs: options.operationTimeoutMs,
          maxOutputBytes: options.maxOutputBytes,
        },
      );
      if (E.isRight(result)) {
        return result;
      }
      if (result.left._tag === 'Failed') {
        return E.left(result.left.error);
      }
      // The shell expired or the service restarted: open a new one, once.
      delete session.shellId;
      logger.debug('winrm.shell.gone', { machine: machine.uid });
    }

    return E.left(
      transportError(
        'CommandRefused',
        machine.uid,
        'the shell vanished twice in a row (shell not found)',
        true,
      ),
    );
  };

  const run = (
    machine: Machine,
    command: RemoteCommand,
    runOptions: RunOptions,
  ): Promise<E.Either<TransportError, RemoteResult>> => {
    const entry = entryFor(machine);
    clearTimeout(entry.idleTimer);
    const deadline = Date.now() + runOptions.timeoutMs;
    const result = entry.tail.then(async () => {
      const session = await entry.opened;
      if (E.isLeft(session)) {
        return session;
      }
      const started = Date.now();
      const outcome = await execute(machine, session.right, command, deadline);
      logger.debug('winrm.command.finished', {
        machine: machine.uid,
        operation: command.operation,
        durationMs: Date.now() - started,
        ...(E.isRight(outcome)
          ? { exitCode: outcome.right.exitCode }
          : { error: outcome.left.code }),
      });

      return outcome;
    });
    entry.tail = result.then(() => {
      if (entries.get(machine.uid) === entry) {
        clearTimeout(entry.idleTimer);
        // The idle close must not keep a finished process alive.
        entry.idleTimer = setTimeout(
          () => void drop(machine.uid, entry, 'idle'),
          options.idleCloseMs,
        ).unref();
      }
    });

    return result;
  };

  const close = async (): Promise<void> => {
    await Promise.all(
      [...entries.entries()].map(([uid, entry]) => drop(uid, entry, 'closed')),
    );
  };

  return { run, close };
};
