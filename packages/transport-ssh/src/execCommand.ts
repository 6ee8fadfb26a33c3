import type { RemoteResult, TransportError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Client, ClientChannel } from 'ssh2';
import { transportError } from './transportError.js';

/** One exec request on an open connection. @category model */
export interface ExecRequest {
  readonly machineUid: string;
  readonly commandLine: string;
  readonly stdin: string;
  readonly timeoutMs: number;
  readonly maxOutputBytes: number;
}

/**
 * Runs one command on an open connection: exec of the command line, stdin
 * written then closed, stdout and stderr collected up to the cap. A
 * non-zero exit is a result, not an error. On timeout or an output over the
 * cap the channel is closed and the connection is kept.
 *
 * @category effects
 */
export const execCommand = (
  client: Client,
  request: ExecRequest,
): Promise<E.Either<TransportError, RemoteResult>> =>
  new Promise((resolve) => {
    const { machineUid } = request;
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let exitCode: number | undefined;
    let exitSignal: string | undefined;
    let channel: ClientChannel | undefined;
    let settled = false;
    const finish = (result: E.Either<TransportError, RemoteResult>): void => {
      if (settled) {
        return;
      }
      settled = true;
      clearTimeout(timer);
      if (E.isLeft(result)) {
        channel?.close();
      }
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish(
          E.left(
            transportError(
              'Timeout',
              machineUid,
              `the command did not finish within ${request.timeoutMs} ms`,
            ),
          ),
        ),
      request.timeoutMs,
    );
    const collect =
      (into: Buffer[]) =>
      (chunk: Buffer): void => {
        size += chunk.length;
        if (size > request.maxOutputBytes) {
          finish(
            E.left(
              transportError(
                'OutputTooLarge',
                machineUid,
                `the command wrote more than ${request.maxOutputBytes} bytes`,
                false,
              ),
            ),
          );

          return;
        }
        into.push(chunk);
      };
    const onChannel = (error: Error | undefined, opened: ClientChannel) => {
      if (error !== undefined) {
        finish(
          E.left(
            transportError(
              'ProtocolError',
              machineUid,
              `the host refused to run the command: ${error.message}`,
              true,
            ),
          ),
        );

        return;
      }
      channel = opened;
      if (settled) {
        opened.close();

        return;
      }
      opened.on('data', collect(stdout));
      opened.stderr.on('data', collect(stderr));
      opened.on('exit', (code: number | null, signal?: string) => {
        exitCode = code ?? undefined;
        exitSignal = signal;
      });
      opened.on('close', () => {
        if (exitCode !== undefined) {
          finish(
            E.right({
              stdout: Buffer.concat(stdout).toString('utf8'),
              stderr: Buffer.concat(stderr).toString('utf8'),
              exitCode,
            }),
          );

          return;
        }
        finish(
          E.left(
            exitSignal !== undefined
              ? transportError(
                  'ProtocolError',
                  machineUid,
                  `the command was ended by signal ${exitSignal}`,
                  false,
                )
              : transportError(
                  'Unreachable',
                  machineUid,
                  'the channel closed before the command reported its exit',
                ),
          ),
        );
      });
      opened.end(request.stdin);
    };
    try {
      client.exec(request.commandLine, onChannel);
    } catch (error) {
      finish(
        E.left(
          transportError(
            'Unreachable',
            machineUid,
            `the connection is gone: ${
              error instanceof Error ? error.message : 'not connected'
            }`,
          ),
        ),
      );
    }
  });
