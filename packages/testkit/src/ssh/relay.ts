import { createServer, type Server } from 'node:net';
import { answerCommandLine, type SimHandler } from './commandShell.js';

interface RelayRequest {
  readonly commandLine: string;
  readonly stdin: string;
}

const isRelayRequest = (value: unknown): value is RelayRequest =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as RelayRequest).commandLine === 'string' &&
  typeof (value as RelayRequest).stdin === 'string';

/**
 * Listens on a Unix socket for the `powershell.exe` stand-in: each
 * connection carries one request (command line and stdin as JSON) and gets
 * one answer (stdout, stderr, exit code as JSON), computed by
 * `answerCommandLine` with the handler.
 *
 * @category testing
 */
export const startRelay = async (
  socketPath: string,
  handler: SimHandler,
): Promise<Server> => {
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('end', () => {
      let request: unknown;
      try {
        request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        request = undefined;
      }
      const answer = isRelayRequest(request)
        ? answerCommandLine(request.commandLine, request.stdin, handler)
        : Promise.resolve({
            stdout: '',
            stderr: 'bad relay request',
            exitCode: 1,
          });
      void answer.then((result) => {
        if (!socket.destroyed) {
          socket.end(JSON.stringify(result));
        }
      });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });

  return server;
};
