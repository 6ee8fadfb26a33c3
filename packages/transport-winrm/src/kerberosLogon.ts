import type { Secret } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import {
  obtainTicket,
  type PrivateCcache,
  type TicketFailure,
} from './kinit.js';
import { loadKerberos, withKrbEnv } from './kerberosLibrary.js';
import type { KerberosSettings } from './options.js';

/**
 * The Kerberos principal of a logon name: `user@domain` keeps its user and
 * upper-cases the domain, `DOMAIN\user` and a bare name take `realm` (or
 * the `DOMAIN` part). `undefined` when no realm can be told.
 *
 * @category utils
 */
export const kerberosPrincipalOf = (
  username: string,
  realm: string | undefined,
): string | undefined => {
  const at = username.lastIndexOf('@');
  if (at > 0) {
    return `${username.slice(0, at)}@${(realm ?? username.slice(at + 1)).toUpperCase()}`;
  }
  const slash = username.indexOf('\\');
  const user = username.slice(slash + 1);
  const chosen = realm ?? (slash > 0 ? username.slice(0, slash) : undefined);

  return chosen === undefined || user === ''
    ? undefined
    : `${user}@${chosen.toUpperCase()}`;
};

/** One SPNEGO round: the header to send and the check of the reply. @category model */
export interface KerberosRound {
  /** `Negotiate <base64 token>`. */
  readonly authorization: string;
  /**
   * Verifies the server's token from its `WWW-Authenticate: Negotiate`
   * reply (mutual authentication); resolves to why it failed, if it did.
   */
  readonly verify: (
    serverToken: string | undefined,
  ) => Promise<string | undefined>;
}

/** A Kerberos logon of one connection. @category model */
export interface KerberosLogon {
  readonly begin: () => Promise<E.Either<TicketFailure, KerberosRound>>;
  /** Deletes the private credential cache, if one was made. */
  readonly dispose: () => void;
}

/** What {@link kerberosLogon} needs. @category model */
export interface KerberosLogonSettings {
  readonly username: string;
  readonly password: Secret;
  readonly host: string;
  readonly settings: KerberosSettings;
  readonly timeoutMs: number;
}

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message : String(error);

const refusedGss =
  /Preauthentication failed|revoked|Clock skew|Ticket expired|Password has expired/i;

/**
 * A Kerberos logon: a ticket (from `ccache`, or `kinit` with the keytab or
 * the password into a private cache, made once and kept for the
 * connection's re-authentications), then a SPNEGO context for the service
 * with mutual authentication asked for. Each round is a new context.
 *
 * @category constructors
 */
export const kerberosLogon = (p: KerberosLogonSettings): KerberosLogon => {
  const { settings } = p;
  const service = settings.servicePrincipal ?? `HTTP@${p.host}`;
  let ccache: PrivateCcache | undefined;

  const cacheName = async (): Promise<E.Either<TicketFailure, string>> => {
    if (settings.ccache !== undefined) {
      return E.right(settings.ccache);
    }
    if (ccache !== undefined) {
      return E.right(ccache.name);
    }
    const principal = kerberosPrincipalOf(p.username, settings.realm);
    if (principal === undefined) {
      return E.left({
        kind: 'unavailable',
        transient: false,
        message: `no Kerberos realm for ${p.username}: use user@REALM or set kerberos.realm`,
      });
    }
    const got = await obtainTicket({
      principal,
      password: p.password,
      timeoutMs: p.timeoutMs,
      ...(settings.keytab !== undefined ? { keytab: settings.keytab } : {}),
      ...(settings.config !== undefined ? { config: settings.config } : {}),
      ...(settings.kinit !== undefined ? { kinit: settings.kinit } : {}),
    });
    if ('kind' in got) {
      return E.left(got);
    }
    ccache = got;

    return E.right(got.name);
  };

  const begin = async (): Promise<E.Either<TicketFailure, KerberosRound>> => {
    const library = await loadKerberos();
    if (typeof library === 'string') {
      return E.left({
        kind: 'unavailable',
        transient: false,
        message: library,
      });
    }
    const name = await cacheName();
    if (E.isLeft(name)) {
      return name;
    }
    const env = {
      KRB5CCNAME: name.right,
      ...(settings.config !== undefined
        ? { KRB5_CONFIG: settings.config }
        : {}),
    };
    try {
      const { client, token } = await withKrbEnv(env, async () => {
        const c = await library.initializeClient(service, {
          mechOID: library.GSS_MECH_OID_SPNEGO,
          gssFlag: library.GSS_C_MUTUAL_FLAG | library.GSS_C_SEQUENCE_FLAG,
        });

        return { client: c, token: await c.step('') };
      });
      const verify = async (serverToken: string | undefined) => {
        if (serverToken === undefined) {
          return 'the server sent no Kerberos reply token, so it did not prove who it is';
        }
        try {
          await withKrbEnv(env, () => client.step(serverToken));
        } catch (error) {
          return `the server's Kerberos reply token is not valid: ${errorText(error)}`;
        }

        return client.contextComplete
          ? undefined
          : 'the Kerberos context is incomplete after the server reply';
      };

      return E.right({ authorization: `Negotiate ${token}`, verify });
    } catch (error) {
      const message = `no Kerberos token for ${service}: ${errorText(error)}`;

      return E.left({
        kind: refusedGss.test(message) ? 'refused' : 'unavailable',
        transient: /Cannot contact any KDC/i.test(message),
        message,
      });
    }
  };

  return {
    begin,
    dispose: () => {
      ccache?.remove();
      ccache = undefined;
    },
  };
};
