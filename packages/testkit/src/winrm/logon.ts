import type { Secret } from '@rotor/core';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { acceptKerberos, type SimKerberosService } from './kerberosAcceptor.js';
import { issueChallenge, verifyAuthenticate } from './ntlmVerifier.js';
import type { SimWinrmStats } from './simShells.js';

/**
 * An account the simulated WinRM server accepts. The name compares
 * case-insensitively and without any `DOMAIN\\` part, as a local account.
 *
 * @category testing
 */
export interface SimWinrmUser {
  readonly username: string;
  readonly password: Secret;
}

const sameText = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);

  return x.length === y.length && timingSafeEqual(x, y);
};

/** A logon name without its domain, lower case. @category testing */
export const bareName = (name: string): string =>
  name.slice(name.indexOf('\\') + 1).toLowerCase();

/** What the logon of the simulated server needs. @category testing */
export interface SimLogonSettings {
  readonly users: ReadonlyArray<SimWinrmUser>;
  readonly basic: boolean;
  readonly negotiate: boolean;
  /** Kerberos inside `Negotiate`, when set. */
  readonly kerberos?: SimKerberosService;
  readonly machine: string;
  readonly stats: SimWinrmStats;
}

/**
 * The HTTP logon of the simulated WinRM server: Basic on every request, or
 * NTLMv2 or Kerberos (a SPNEGO token accepted with the service's keytab)
 * inside `Negotiate`, which authenticates the connection. A Kerberos
 * principal `user@REALM` is the user `user`, who must be one of `users`
 * (the ticket, not the password, proves it); the reply token goes back in
 * `WWW-Authenticate` with the answer, for the client's mutual
 * authentication. Resolves to the user of a request, or `undefined` after
 * answering it with 401.
 *
 * @category testing
 */
export const simLogon = (
  settings: SimLogonSettings,
): ((
  req: IncomingMessage,
  res: ServerResponse,
) => Promise<string | undefined>) => {
  const { machine, stats } = settings;
  const allowBasic = settings.basic;
  const allowNegotiate = settings.negotiate;
  const logons = new WeakMap<Socket, { user?: string; challenge?: Buffer }>();
  const userOf = (name: string): SimWinrmUser | undefined =>
    settings.users.find((u) => bareName(u.username) === bareName(name));

  const challengeHeaders = (): string[] => [
    ...(allowNegotiate ? ['Negotiate'] : []),
    ...(allowBasic ? ['Basic realm="WSMAN"'] : []),
  ];

  const unauthorized = (res: ServerResponse, header?: string[]): void => {
    res.writeHead(401, {
      'WWW-Authenticate': header ?? challengeHeaders(),
      'Content-Length': 0,
    });
    res.end();
  };

  /** The user a request is from, or `undefined` once it was answered. */
  const logon = async (
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<string | undefined> => {
    const socket = req.socket;
    const state = logons.get(socket) ?? {};
    logons.set(socket, state);
    const authorization = req.headers.authorization ?? '';
    const [scheme = '', token = ''] = authorization.split(/\s+/, 2);
    if (scheme.toLowerCase() === 'basic' && allowBasic) {
      const decoded = Buffer.from(token, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      const user = userOf(decoded.slice(0, Math.max(colon, 0)));
      if (
        colon > 0 &&
        user !== undefined &&
        sameText(user.password.reveal(), decoded.slice(colon + 1))
      ) {
        return bareName(user.username);
      }
      unauthorized(res);

      return undefined;
    }
    if (
      (scheme.toLowerCase() === 'negotiate' ||
        scheme.toLowerCase() === 'ntlm') &&
      allowNegotiate
    ) {
      const message = Buffer.from(token, 'base64');
      // A GSS initial token (0x60): SPNEGO carrying a Kerberos AP-REQ.
      if (message[0] === 0x60 && settings.kerberos !== undefined) {
        delete state.user;
        const accepted = await acceptKerberos(settings.kerberos, token);
        const principal =
          typeof accepted === 'string' ? '' : accepted.principal;
        const user = userOf(principal.slice(0, principal.lastIndexOf('@')));
        if (typeof accepted === 'string' || user === undefined) {
          unauthorized(res);

          return undefined;
        }
        stats.negotiations++;
        res.setHeader('WWW-Authenticate', `${scheme} ${accepted.replyToken}`);
        state.user = bareName(user.username);

        return state.user;
      }
      const type = message.length >= 12 ? message.readUInt32LE(8) : 0;
      if (type === 1) {
        const issued = issueChallenge(message, machine);
        if (issued === undefined) {
          unauthorized(res);

          return undefined;
        }
        stats.negotiations++;
        state.challenge = issued.serverChallenge;
        delete state.user;
        unauthorized(res, [`${scheme} ${issued.message.toString('base64')}`]);

        return undefined;
      }
      const challenge = state.challenge;
      delete state.challenge;
      const identity =
        type === 3 && challenge !== undefined
          ? verifyAuthenticate(message, challenge, (name) =>
              userOf(name)?.password.reveal(),
            )
          : undefined;
      if (identity === undefined) {
        unauthorized(res);

        return undefined;
      }
      state.user = bareName(identity.user);

      return state.user;
    }
    if (state.user !== undefined) {
      return state.user;
    }
    unauthorized(res);

    return undefined;
  };
  return logon;
};
