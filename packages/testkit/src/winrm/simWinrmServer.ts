import type { ServerResponse } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { handlerOf, type SimBackend } from '../ssh/simBackend.js';
import {
  generateTestCertificate,
  type TestCertificate,
} from './certificate.js';
import type { SimKerberosService } from './kerberosAcceptor.js';
import { simLogon, type SimWinrmUser } from './logon.js';
import { simOperations } from './operations.js';
import { SimShells, type SimWinrmStats } from './simShells.js';

export type { SimWinrmUser } from './logon.js';

/**
 * Options of {@link startSimWinrmServer}: a simulated host (or a handler),
 * the accounts, which logons are on (both by default), the per-user shell
 * quota (30, as on the captured host), the longest a Receive is held
 * (the client's OperationTimeout, capped here), a delay before each
 * command finishes (to provoke `w:TimedOut`), an idle expiry of shells,
 * and optionally the certificate and port.
 *
 * @category testing
 */
export type SimWinrmServerOptions = SimBackend & {
  readonly users: ReadonlyArray<SimWinrmUser>;
  readonly basic?: boolean;
  readonly negotiate?: boolean;
  /**
   * Accept Kerberos inside `Negotiate` with this service's keytab (see
   * `ThrowawaySamba.addKerberosService`); off by default.
   */
  readonly kerberos?: SimKerberosService;
  readonly maxShellsPerUser?: number;
  readonly maxOperationTimeoutMs?: number;
  readonly commandDelayMs?: number;
  readonly shellIdleTimeoutMs?: number;
  readonly computerName?: string;
  readonly certificate?: TestCertificate;
  readonly port?: number;
};

/**
 * A running simulated WinRM server on `https://127.0.0.1:port/wsman`.
 * `certificateFingerprint` is the SHA-256 of its certificate (lower-case
 * hex), `caPem` the certificate itself (self-signed, so also its CA).
 *
 * @category testing
 */
export interface SimWinrmServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly url: string;
  readonly certificateFingerprint: string;
  readonly caPem: string;
  /**
   * Counts of what the server did so far: shells created and deleted, commands,
   * receives, time-outs, signals.
   */
  readonly stats: () => Readonly<SimWinrmStats>;
  /** Shells created and not yet deleted or expired. */
  readonly openShells: () => number;
  /** Stops the server; resolves once it has stopped. */
  readonly stop: () => Promise<void>;
}

let sharedCertificate: Promise<TestCertificate> | undefined;

/**
 * Starts a WinRM (WS-Management over HTTPS) server on 127.0.0.1 that runs
 * cmd-shell commands on a simulated host: Create, Command, Send, Receive
 * (holding it until output or the OperationTimeout, then `w:TimedOut`),
 * Signal and Delete, with Basic, NTLMv2 and (with `kerberos`) Kerberos
 * logon inside `Negotiate`, the shell
 * quota fault, and RelatesTo echoed. Output larger than the client's
 * MaxEnvelopeSize is split across Receives.
 *
 * @category testing
 */
export const startSimWinrmServer = async (
  options: SimWinrmServerOptions,
): Promise<SimWinrmServer> => {
  sharedCertificate ??= generateTestCertificate();
  const certificate = options.certificate ?? (await sharedCertificate);
  const machine = options.computerName ?? 'SIMHOST';
  const shells = new SimShells(handlerOf(options), options.commandDelayMs ?? 0);
  const stats: SimWinrmStats = {
    creates: 0,
    deletes: 0,
    commands: 0,
    receives: 0,
    timedOut: 0,
    signals: 0,
    negotiations: 0,
    connections: 0,
  };
  const sockets = new Set<Socket>();

  const dispatch = simOperations({
    shells,
    quota: options.maxShellsPerUser ?? 30,
    maxHoldMs: options.maxOperationTimeoutMs ?? 60_000,
    machine,
    stats,
    shellIdleTimeoutMs: options.shellIdleTimeoutMs,
  });
  const logon = simLogon({
    users: options.users,
    basic: options.basic ?? true,
    negotiate: options.negotiate ?? true,
    ...(options.kerberos !== undefined ? { kerberos: options.kerberos } : {}),
    machine,
    stats,
  });

  const answer = (
    res: ServerResponse,
    user: string,
    chunks: ReadonlyArray<Buffer>,
  ): void => {
    const text = Buffer.concat(chunks).toString('utf8');
    if (text.trim() === '') {
      res.writeHead(200, { 'Content-Length': 0 });
      res.end();

      return;
    }
    void dispatch(text, user).then((reply) => {
      const body = Buffer.from(reply.body, 'utf8');
      res.writeHead(reply.status, {
        'Content-Type': 'application/soap+xml;charset=UTF-8',
        'Content-Length': body.length,
      });
      res.end(body);
    });
  };

  const server = createServer(
    { cert: certificate.certPem, key: certificate.keyPem },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        if (req.method !== 'POST' || req.url?.split('?')[0] !== '/wsman') {
          res.writeHead(404, { 'Content-Length': 0 });
          res.end();

          return;
        }
        void logon(req, res).then((user) => {
          if (user !== undefined) {
            answer(res, user, chunks);
          }
        });
      });
    },
  );
  server.keepAliveTimeout = 30_000;
  server.on('secureConnection', (socket: Socket) => {
    stats.connections++;
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    url: `https://127.0.0.1:${port}/wsman`,
    certificateFingerprint: certificate.sha256,
    caPem: certificate.certPem,
    stats: () => ({ ...stats }),
    openShells: () => shells.shells.size,
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) {
          socket.destroy();
        }
      });
    },
  };
};
