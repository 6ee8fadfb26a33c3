import type { Logger, TransportError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { IncomingMessage } from 'node:http';
import { Agent, request, type AgentOptions } from 'node:https';
import { isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect, type TLSSocket } from 'node:tls';
import { kerberosExchange } from './kerberosExchange.js';
import { kerberosLogon } from './kerberosLogon.js';
import type { TicketFailure } from './kinit.js';
import { channelBindingHash, ntHash } from './ntlmCrypto.js';
import {
  authenticateMessage,
  negotiateMessage,
  parseChallenge,
  splitLogonName,
} from './ntlmMessages.js';
import type { WinrmCredentials } from './options.js';
import { certificateSha256, type TlsPolicy } from './tlsTrust.js';
import { classifyHttpError, transportError } from './transportError.js';

/** What an endpoint answered: the HTTP status and the body text. @category model */
export interface HttpReply {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/**
 * One machine's WS-Management endpoint over HTTPS: a keep-alive agent with
 * a single socket (NTLM authenticates the connection, not the request),
 * the TLS check of its policy, and the logon of its credentials.
 *
 * @category model
 */
export interface HttpEndpoint {
  readonly post: (
    body: string,
    timeoutMs: number,
  ) => Promise<E.Either<TransportError, HttpReply>>;
  readonly destroy: () => void;
}

/** What an endpoint needs. @category model */
export interface EndpointSettings {
  readonly machineUid: string;
  readonly host: string;
  readonly port: number;
  readonly path: string;
  readonly policy: TlsPolicy;
  readonly ca?: Buffer;
  readonly credentials: WinrmCredentials;
  readonly connectTimeoutMs: number;
  readonly maxReplyBytes: number;
  readonly logger: Logger;
}

const soapType = 'application/soap+xml;charset=UTF-8';

const codedError = (code: string, message: string): Error =>
  Object.assign(new Error(message), { code });

interface Exchange {
  readonly reply: HttpReply;
  readonly header: string | undefined;
  readonly socket: unknown;
}

/**
 * Opens an endpoint. Nothing connects until the first `post`.
 *
 * @category constructors
 */
export const openEndpoint = (settings: EndpointSettings): HttpEndpoint => {
  const { policy, machineUid, logger } = settings;
  const where = `${settings.host}:${settings.port}`;
  let peerCertificate: Buffer | undefined;
  let authenticatedSocket: unknown;

  const agentOptions: AgentOptions = {
    keepAlive: true,
    maxSockets: 1,
    maxFreeSockets: 1,
  };
  const agent = new Agent(agentOptions);
  // A socket is handed to HTTP only once its certificate passed the policy,
  // so nothing (no Authorization header) is written to an unchecked peer.
  const createConnection = (
    _options: unknown,
    done: (error: Error | null, socket?: Duplex) => void,
  ): undefined => {
    const verify = policy._tag === 'SystemCa' || policy._tag === 'CaFile';
    const socket: TLSSocket = tlsConnect({
      host: settings.host,
      port: settings.port,
      ...(isIP(settings.host) === 0 ? { servername: settings.host } : {}),
      rejectUnauthorized: verify,
      ...(settings.ca !== undefined ? { ca: settings.ca } : {}),
      ALPNProtocols: ['http/1.1'],
    });
    const timer = setTimeout(
      () =>
        socket.destroy(
          codedError(
            'ROTOR_TIMEOUT',
            'TCP connect and TLS handshake timed out',
          ),
        ),
      settings.connectTimeoutMs,
    );
    const fail = (error: Error): void => {
      clearTimeout(timer);
      done(error);
    };
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      const der = socket.getPeerCertificate(false).raw;
      if (policy._tag === 'Pinned') {
        const seen = der === undefined ? 'none' : certificateSha256(der);
        if (seen !== policy.sha256) {
          socket.destroy();
          done(
            codedError(
              'ROTOR_TLS_PIN',
              `certificate SHA-256 ${seen} is not the pinned ${policy.sha256}`,
            ),
          );

          return;
        }
      }
      if (policy._tag === 'Insecure') {
        logger.warn('winrm.tls.unverified', {
          machine: machineUid,
          reason: 'trust.insecureSkipVerify is set',
        });
      }
      peerCertificate = der;
      done(null, socket);
    });

    return undefined;
  };
  Object.assign(agent, { createConnection });

  const { username, password } = settings.credentials;
  const scheme = settings.credentials.authentication ?? 'negotiate';
  const kerberosSettings = settings.credentials.kerberos;
  const kerberos =
    scheme === 'kerberos' ||
    (scheme === 'negotiate' && kerberosSettings !== undefined)
      ? kerberosLogon({
          username,
          password,
          host: settings.host,
          settings: kerberosSettings ?? {},
          timeoutMs: settings.connectTimeoutMs,
        })
      : undefined;

  const exchange = (
    body: string,
    authorization: string | undefined,
    timeoutMs: number,
    retried = false,
  ): Promise<E.Either<TransportError, Exchange>> =>
    new Promise((resolve) => {
      const payload = Buffer.from(body, 'utf8');
      const req = request({
        host: settings.host,
        port: settings.port,
        path: settings.path,
        method: 'POST',
        agent,
        headers: {
          'Content-Type': soapType,
          'Content-Length': payload.length,
          'User-Agent': 'rotor WinRM client',
          ...(authorization !== undefined
            ? { Authorization: authorization }
            : {}),
        },
      });
      req.setTimeout(timeoutMs, () =>
        req.destroy(
          codedError('ROTOR_TIMEOUT', `no reply within ${timeoutMs} ms`),
        ),
      );
      req.once('error', (error: NodeJS.ErrnoException) => {
        // The server may close a kept-alive socket just as it is reused:
        // send once more on a new one.
        if (req.reusedSocket && error.code === 'ECONNRESET' && !retried) {
          resolve(exchange(body, authorization, timeoutMs, true));

          return;
        }
        resolve(E.left(classifyHttpError(error, machineUid, where)));
      });
      req.once('response', (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > settings.maxReplyBytes) {
            req.destroy(codedError('ROTOR_TOO_LARGE', 'reply too large'));
            resolve(
              E.left(
                transportError(
                  'OutputTooLarge',
                  machineUid,
                  `${where} sent a reply over ${settings.maxReplyBytes} bytes`,
                  false,
                ),
              ),
            );

            return;
          }
          chunks.push(chunk);
        });
        res.once('end', () => {
          const header = res.headers['www-authenticate'];
          resolve(
            E.right({
              reply: {
                status: res.statusCode ?? 0,
                contentType: res.headers['content-type'] ?? '',
                body: Buffer.concat(chunks).toString('utf8'),
              },
              header: Array.isArray(header) ? header.join(', ') : header,
              socket: req.socket,
            }),
          );
        });
        res.once('error', (error) =>
          resolve(E.left(classifyHttpError(error, machineUid, where))),
        );
      });
      req.end(payload);
    });

  const refused = (detail: string): TransportError =>
    transportError(
      'LogonRefused',
      machineUid,
      `${where} refused the logon of ${username} (${scheme}): ${detail}`,
      false,
    );

  const basic = async (
    body: string,
    timeoutMs: number,
  ): Promise<E.Either<TransportError, HttpReply>> => {
    const token = Buffer.from(`${username}:${password.reveal()}`).toString(
      'base64',
    );
    const result = await exchange(body, `Basic ${token}`, timeoutMs);
    if (E.isLeft(result)) {
      return result;
    }

    return result.right.reply.status === 401
      ? E.left(refused('the credentials were rejected'))
      : E.right(result.right.reply);
  };

  const negotiate = async (
    body: string,
    timeoutMs: number,
  ): Promise<E.Either<TransportError, HttpReply>> => {
    const negotiateToken = negotiateMessage();
    const first = await exchange(
      '',
      `Negotiate ${negotiateToken.toString('base64')}`,
      timeoutMs,
    );
    if (E.isLeft(first)) {
      return first;
    }
    const offered = /(?:^|,\s*)Negotiate\s+([A-Za-z0-9+/=]+)/.exec(
      first.right.header ?? '',
    )?.[1];
    if (first.right.reply.status !== 401 || offered === undefined) {
      return E.left(
        refused(
          `no NTLM challenge (HTTP ${first.right.reply.status}, ` +
            `WWW-Authenticate: ${first.right.header ?? 'none'})`,
        ),
      );
    }
    const challengeMessage = Buffer.from(offered, 'base64');
    const challenge = parseChallenge(challengeMessage);
    if (E.isLeft(challenge)) {
      return E.left(refused(challenge.left));
    }
    const { user, domain } = splitLogonName(username);
    const auth = authenticateMessage({
      user,
      domain,
      workstation: '',
      ntHash: ntHash(password.reveal()),
      negotiate: negotiateToken,
      challengeMessage,
      challenge: challenge.right,
      ...(peerCertificate !== undefined
        ? { channelBindings: channelBindingHash(peerCertificate) }
        : {}),
    });
    const second = await exchange(
      body,
      `Negotiate ${auth.message.toString('base64')}`,
      timeoutMs,
    );
    if (E.isLeft(second)) {
      return second;
    }
    if (second.right.reply.status === 401) {
      return E.left(refused('the credentials were rejected'));
    }
    authenticatedSocket = second.right.socket;

    return E.right(second.right.reply);
  };

  const ticketRefused = (failure: TicketFailure): TransportError =>
    transportError(
      'LogonRefused',
      machineUid,
      `${where}: no Kerberos logon for ${username}: ${failure.message}`,
      failure.transient,
    );

  const authenticate = async (
    body: string,
    timeoutMs: number,
  ): Promise<E.Either<TransportError, HttpReply>> => {
    if (kerberos === undefined) {
      return negotiate(body, timeoutMs);
    }
    const round = await kerberos.begin();
    if (E.isLeft(round)) {
      if (scheme === 'negotiate' && round.left.kind === 'unavailable') {
        logger.debug('winrm.kerberos.fallback', {
          machine: machineUid,
          reason: round.left.message,
        });

        return negotiate(body, timeoutMs);
      }

      return E.left(ticketRefused(round.left));
    }
    const sent = await kerberosExchange(
      round.right,
      (authorization) => exchange(body, authorization, timeoutMs),
      refused,
    );
    if (E.isLeft(sent)) {
      return sent;
    }
    authenticatedSocket = sent.right.socket;

    return E.right(sent.right.reply);
  };

  const post = async (
    body: string,
    timeoutMs: number,
  ): Promise<E.Either<TransportError, HttpReply>> => {
    if (scheme === 'basic') {
      return basic(body, timeoutMs);
    }
    const reusable =
      authenticatedSocket !== undefined &&
      !(authenticatedSocket as { destroyed?: boolean }).destroyed;
    if (!reusable) {
      return authenticate(body, timeoutMs);
    }
    const again = await exchange(body, undefined, timeoutMs);
    if (E.isRight(again) && again.right.reply.status === 401) {
      // The server dropped the connection's logon: authenticate anew.
      authenticatedSocket = undefined;

      return authenticate(body, timeoutMs);
    }

    return E.map((x: Exchange) => x.reply)(again);
  };

  return {
    post,
    destroy: () => {
      agent.destroy();
      kerberos?.dispose();
    },
  };
};
