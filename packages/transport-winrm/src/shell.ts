import type { RemoteResult, TransportError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import {
  commandBody,
  commandOptions,
  createBody,
  createOptions,
  receiveBody,
  sendBody,
  signalBody,
} from './envelope.js';
import { isShellGone, isTimedOut } from './fault.js';
import { actions, terminateSignal } from './namespaces.js';
import { commandIdOf, receiveChunkOf, shellIdOf } from './responses.js';
import { transportError } from './transportError.js';
import {
  asTransportError,
  type CallError,
  type WsmanClient,
} from './wsmanClient.js';

/** Limits of one command. @category model */
export interface CommandLimits {
  readonly machineUid: string;
  /** Absolute time (ms since the epoch) by which the command must end. */
  readonly deadline: number;
  readonly operationTimeoutMs: number;
  readonly maxOutputBytes: number;
  readonly now?: () => number;
}

const shortCall = 30_000;

/**
 * Opens a cmd shell: no profile, UTF-8 (code page 65001). `Right` is the
 * ShellId.
 *
 * @category utils
 */
export const createShell = async (
  client: WsmanClient,
  machineUid: string,
): Promise<E.Either<TransportError, string>> => {
  const reply = await client.call({
    action: actions.create,
    body: createBody(),
    options: createOptions,
    operationTimeoutMs: shortCall,
  });
  if (E.isLeft(reply)) {
    return E.left(asTransportError(machineUid, actions.create, reply.left));
  }
  const id = shellIdOf(reply.right);

  return E.isLeft(id)
    ? E.left(transportError('ProtocolError', machineUid, id.left.message, true))
    : id;
};

/** Deletes a shell; errors are only reported. @category utils */
export const deleteShell = async (
  client: WsmanClient,
  shellId: string,
): Promise<E.Either<CallError, void>> =>
  E.map(() => undefined)(
    await client.call({
      action: actions.delete,
      body: '',
      shellId,
      operationTimeoutMs: shortCall,
    }),
  );

/**
 * Why running a command failed: `ShellGone` when the shell no longer
 * exists before anything ran (the caller may open a new one and retry).
 *
 * @category model
 */
export type CommandError =
  | { readonly _tag: 'ShellGone' }
  | { readonly _tag: 'Failed'; readonly error: TransportError };

const failed = (error: TransportError): CommandError => ({
  _tag: 'Failed',
  error,
});

/**
 * Runs one command line in a shell: Command, Send (all of stdin, ending
 * the stream), Receive until Done (a `w:TimedOut` fault means "poll
 * again"), then Signal(terminate). Output bytes are concatenated per
 * stream and decoded as UTF-8 at the end.
 *
 * @category utils
 */
export const runInShell = async (
  client: WsmanClient,
  shellId: string,
  commandLine: string,
  stdin: Buffer,
  limits: CommandLimits,
): Promise<E.Either<CommandError, RemoteResult>> => {
  const now = limits.now ?? Date.now;
  const { machineUid } = limits;
  const remaining = (): number => limits.deadline - now();
  const started = await client.call({
    action: actions.command,
    body: commandBody(commandLine),
    shellId,
    options: commandOptions,
    operationTimeoutMs: shortCall,
  });
  if (E.isLeft(started)) {
    const error = started.left;

    return E.left(
      error._tag === 'WsmanFault' && isShellGone(error)
        ? { _tag: 'ShellGone' }
        : failed(asTransportError(machineUid, actions.command, error)),
    );
  }
  const commandId = commandIdOf(started.right);
  if (E.isLeft(commandId)) {
    return E.left(
      failed(
        transportError(
          'ProtocolError',
          machineUid,
          commandId.left.message,
          true,
        ),
      ),
    );
  }
  const id = commandId.right;
  const terminate = (): Promise<unknown> =>
    client.call({
      action: actions.signal,
      body: signalBody(id, terminateSignal),
      shellId,
      operationTimeoutMs: shortCall,
    });
  const sent = await client.call({
    action: actions.send,
    body: sendBody(id, stdin, true),
    shellId,
    operationTimeoutMs: shortCall,
  });
  if (E.isLeft(sent)) {
    await terminate();

    return E.left(
      failed(asTransportError(machineUid, actions.send, sent.left)),
    );
  }
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  let size = 0;
  for (;;) {
    const left = remaining();
    if (left <= 0) {
      await terminate();

      return E.left(
        failed(
          transportError(
            'Timeout',
            machineUid,
            'the command did not finish in time; it was terminated',
          ),
        ),
      );
    }
    const received = await client.call({
      action: actions.receive,
      body: receiveBody(id),
      shellId,
      operationTimeoutMs: Math.max(
        1_000,
        Math.min(limits.operationTimeoutMs, left),
      ),
    });
    if (E.isLeft(received)) {
      const error = received.left;
      if (error._tag === 'WsmanFault' && isTimedOut(error)) {
        continue;
      }
      await terminate();

      return E.left(
        failed(asTransportError(machineUid, actions.receive, error)),
      );
    }
    const chunk = receiveChunkOf(received.right, id);
    if (E.isLeft(chunk)) {
      await terminate();

      return E.left(
        failed(
          transportError('ProtocolError', machineUid, chunk.left.message, true),
        ),
      );
    }
    stdout.push(chunk.right.stdout);
    stderr.push(chunk.right.stderr);
    size += chunk.right.stdout.length + chunk.right.stderr.length;
    if (size > limits.maxOutputBytes) {
      await terminate();

      return E.left(
        failed(
          transportError(
            'OutputTooLarge',
            machineUid,
            `the command wrote more than ${limits.maxOutputBytes} bytes`,
            false,
          ),
        ),
      );
    }
    if (chunk.right.done) {
      await terminate();

      return E.right({
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode: chunk.right.exitCode ?? 0,
      });
    }
  }
};
