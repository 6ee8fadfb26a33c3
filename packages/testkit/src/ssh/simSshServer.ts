import type { RemoteResult, Secret } from '@rotor/core';
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import ssh2, { type AuthContext, type Connection } from 'ssh2';
import { refusalOf, runBootstrap, type SimHandler } from './commandShell.js';
import { describeKey, generateTestKey, parseSshKey } from './hostKey.js';
import { handlerOf, type SimBackend } from './simBackend.js';

// ssh2 is CommonJS: Node's ESM loader gives only its default export.
const { Server } = ssh2;

/**
 * An account the simulated SSH server accepts: a password, public keys
 * (OpenSSH lines), or both. Names compare case-insensitively, as Windows
 * does.
 *
 * @category testing
 */
export interface SimSshUser {
  readonly username: string;
  readonly password?: Secret;
  readonly publicKeys?: ReadonlyArray<string | Buffer>;
}

/**
 * Options of {@link startSimSshServer}: a simulated host (or a handler),
 * the accounts it accepts, and optionally its host key (a fresh ed25519 key
 * otherwise) and port (a free one otherwise). It listens on 127.0.0.1.
 *
 * @category testing
 */
export type SimSshServerOptions = SimBackend & {
  readonly users: ReadonlyArray<SimSshUser>;
  readonly hostKey?: string | Buffer;
  readonly port?: number;
};

/**
 * A running simulated SSH server. `connections()` counts TCP connections
 * accepted since the start; `openConnections()` those still open.
 *
 * @category testing
 */
export interface SimSshServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  readonly hostKeyFingerprint: string;
  /** The host key as an OpenSSH public key line (`ssh-ed25519 AAAA…`). */
  readonly hostPublicKey: string;
  /** A known_hosts line for this server (`[127.0.0.1]:port ssh-ed25519 …`). */
  readonly knownHostsLine: string;
  /** TCP connections accepted since the server started. */
  readonly connections: () => number;
  /** TCP connections still open. */
  readonly openConnections: () => number;
  /** Stops the server; resolves once it has stopped. */
  readonly stop: () => Promise<void>;
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);

  return x.length === y.length && timingSafeEqual(x, y);
};

const authenticate = (
  users: ReadonlyArray<SimSshUser>,
  ctx: AuthContext,
): void => {
  const methods: Array<'password' | 'publickey'> = ['publickey', 'password'];
  const user = users.find(
    (u) => u.username.toLowerCase() === ctx.username.toLowerCase(),
  );
  if (user === undefined) {
    ctx.reject(methods);

    return;
  }
  if (ctx.method === 'password') {
    const ok =
      user.password !== undefined &&
      sameText(user.password.reveal(), ctx.password);
    if (ok) {
      ctx.accept();
    } else {
      ctx.reject(methods);
    }

    return;
  }
  if (ctx.method === 'publickey') {
    const offered = ctx.key.data;
    const key = (user.publicKeys ?? [])
      .map(parseSshKey)
      .find((k) => k.getPublicSSH().equals(offered));
    const signature = ctx.signature;
    if (key === undefined) {
      ctx.reject(methods);
    } else if (signature === undefined) {
      // The client asks whether this key would do, before signing.
      ctx.accept();
    } else if (
      key.verify(ctx.blob ?? Buffer.alloc(0), signature, ctx.hashAlgo) === true
    ) {
      ctx.accept();
    } else {
      ctx.reject(methods);
    }

    return;
  }
  ctx.reject(methods);
};

const internalError: RemoteResult = {
  stdout: '',
  stderr: 'internal error\r\n',
  exitCode: 1,
};

const serveSessions = (client: Connection, handler: SimHandler): void => {
  client.on('session', (acceptSession) => {
    const session = acceptSession();
    session.on('exec', (acceptExec, _reject, info) => {
      const channel = acceptExec();
      const reply = (result: RemoteResult): void => {
        if (result.stdout !== '') {
          channel.write(result.stdout);
        }
        if (result.stderr !== '') {
          channel.stderr.write(result.stderr);
        }
        channel.exit(result.exitCode);
        channel.end();
      };
      const refusal = refusalOf(info.command);
      if (refusal !== undefined) {
        reply(refusal);

        return;
      }
      // The bootstrap reads stdin to its end before it runs anything.
      const stdin: Buffer[] = [];
      channel.on('data', (chunk: Buffer) => stdin.push(chunk));
      channel.once('end', () => {
        runBootstrap(Buffer.concat(stdin).toString('utf8'), handler).then(
          reply,
          () => reply(internalError),
        );
      });
    });
  });
};

/**
 * Starts an SSH server (ssh2) on loopback that answers as Windows' OpenSSH
 * in front of a simulated host: password and public-key logon, exec
 * requests answered as cmd.exe would (see `answerCommandLine`), output, stderr
 * and exit code as the handler gives them. Shells and other requests are
 * refused. `stop()` ends every connection and closes the listener.
 *
 * @category testing
 */
export const startSimSshServer = async (
  options: SimSshServerOptions,
): Promise<SimSshServer> => {
  const hostKey =
    options.hostKey !== undefined
      ? describeKey(options.hostKey)
      : generateTestKey('rotor-sim-host');
  const handler = handlerOf(options);
  const clients = new Set<Connection>();
  let accepted = 0;
  const server = new Server(
    { hostKeys: [hostKey.privateKey] },
    (client: Connection) => {
      accepted++;
      clients.add(client);
      client.on('close', () => clients.delete(client));
      // A client that drops its socket is normal here; nothing to report.
      client.on('error', () => undefined);
      client.on('authentication', (ctx) => authenticate(options.users, ctx));
      client.on('ready', () => serveSessions(client, handler));
    },
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const stop = async (): Promise<void> => {
    for (const client of clients) {
      client.end();
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      server.close(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  };

  return {
    host: '127.0.0.1',
    port,
    hostKeyFingerprint: hostKey.fingerprint,
    hostPublicKey: hostKey.publicKeyLine,
    knownHostsLine: `[127.0.0.1]:${port} ${hostKey.publicKeyLine}`,
    connections: () => accepted,
    openConnections: () => clients.size,
    stop,
  };
};
