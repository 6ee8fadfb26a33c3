import type { Machine, TransportError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import ssh2, { type Client as SshClient, type ConnectConfig } from 'ssh2';
import type { HostKeyPolicy } from './hostKeyPolicy.js';
import type { ResolvedSshOptions, SshCredentials } from './options.js';
import { classifyConnectError, transportError } from './transportError.js';

// ssh2 is CommonJS: Node's ESM loader gives only its default export.
const { Client } = ssh2;

// The host key algorithms ssh2 1.17 supports, in its default order; a
// known_hosts file's key types are moved to the front.
const hostKeyAlgorithms = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
] as const;

type HostKeyAlgorithm = (typeof hostKeyAlgorithms)[number];

const isHostKeyAlgorithm = (name: string): name is HostKeyAlgorithm =>
  (hostKeyAlgorithms as ReadonlyArray<string>).includes(name);

const orderedHostKeyAlgorithms = (
  preferred: ReadonlyArray<string>,
): HostKeyAlgorithm[] => {
  const first = preferred.filter(isHostKeyAlgorithm);

  return [...first, ...hostKeyAlgorithms.filter((a) => !first.includes(a))];
};

/**
 * Opens one SSH connection and logs on. The host key is checked during the
 * key exchange: a refused key ends the handshake before any credential is
 * sent, and the error is `HostKeyMismatch` with the policy's message.
 *
 * @category effects
 */
export const openConnection = (
  machine: Machine,
  credentials: SshCredentials,
  policy: HostKeyPolicy,
  options: ResolvedSshOptions,
): Promise<E.Either<TransportError, SshClient>> =>
  new Promise((resolve) => {
    const client = new Client();
    const where = `${machine.host}:${machine.port}`;
    let refusal: string | undefined;
    let settled = false;
    const settle = (result: E.Either<TransportError, SshClient>): void => {
      if (!settled) {
        settled = true;
        resolve(result);
      }
    };
    const config: ConnectConfig = {
      host: machine.host,
      port: machine.port,
      username: credentials.username,
      readyTimeout: options.connectTimeoutMs,
      keepaliveInterval: options.keepaliveIntervalMs,
      keepaliveCountMax: 3,
      algorithms: {
        serverHostKey: orderedHostKeyAlgorithms(policy.preferredAlgorithms),
      },
      hostVerifier: (key: Buffer): boolean => {
        const verdict = policy.check(key);
        if (verdict._tag === 'Refused') {
          refusal = verdict.message;
        }

        return verdict._tag === 'Accepted';
      },
    };
    if (credentials.password !== undefined) {
      config.password = credentials.password.reveal();
    }
    if (credentials.privateKey !== undefined) {
      config.privateKey = credentials.privateKey;
    }
    if (credentials.passphrase !== undefined) {
      config.passphrase = credentials.passphrase.reveal();
    }
    client.once('ready', () => settle(E.right(client)));
    client.on('error', (error: unknown) => {
      settle(
        E.left(
          refusal !== undefined
            ? transportError('HostKeyMismatch', machine.uid, refusal)
            : classifyConnectError(error, machine.uid, where),
        ),
      );
    });
    client.once('close', () =>
      settle(
        E.left(
          transportError(
            'Unreachable',
            machine.uid,
            `${where} closed the connection during logon`,
          ),
        ),
      ),
    );
    try {
      client.connect(config);
      // Each operation is a few small packets each way; Nagle's algorithm
      // would hold them back waiting for acknowledgements.
      client.setNoDelay(true);
    } catch (error) {
      // ssh2 throws synchronously for a private key it cannot parse.
      client.end();
      settle(
        E.left(
          transportError(
            'LogonRefused',
            machine.uid,
            `cannot use the private key for ${where}: ${
              error instanceof Error ? error.message : 'unreadable key'
            }`,
          ),
        ),
      );
    }
  });
