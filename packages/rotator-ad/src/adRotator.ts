import { readFile } from 'node:fs/promises';
import * as E from 'fp-ts/lib/Either.js';
import { Attribute, Change, Client } from 'ldapts';
import {
  failure,
  silentLogger,
  type AccountRotator,
  type Failure,
  type LogAttributes,
  type Logger,
  type Secret,
  type User,
} from '@rotor/core';
import { accountFilter, samOfLogin } from './accountName.js';
import { failureOfError } from './adFailure.js';
import { unicodePwdValue } from './unicodePwd.js';

/**
 * Options of {@link createAdAccountRotator}.
 *
 * @category model
 */
export interface AdAccountRotatorOptions {
  /** The directory, `ldaps://host[:port]`; plain `ldap://` is refused. */
  readonly url: string;
  /** The PEM file of the CA the directory's certificate must chain to. */
  readonly caFile: string;
  /**
   * The name the certificate must carry, when it is not the URL's host
   * (a certificate that names the DC but is reached by address).
   */
  readonly serverName?: string;
  /** The account rotor binds as to find users (and to reset, in `reset`). */
  readonly bindDn: string;
  readonly bindPassword: Secret;
  /** Where users are searched for. */
  readonly baseDn: string;
  /**
   * `reset`: an administrator's reset (replace `unicodePwd`), needs the
   * Reset Password right; `self-change`: the account changes its own
   * password (delete the current, add the new), needs the current one and
   * obeys the minimum age and history.
   */
  readonly mode: 'reset' | 'self-change';
  /** Bound of each connection and operation; 30 000 ms. */
  readonly timeoutMs?: number;
  readonly logger?: Logger;
}

type Step<A> = Promise<E.Either<Failure, A>>;

/**
 * An {@link AccountRotator} that changes a domain account's password in
 * Active Directory over LDAPS, the certificate verified against a pinned
 * CA. It binds as `bindDn`, finds the account under `baseDn` by its
 * `sAMAccountName` (or UPN), then resets it or, in `self-change`, binds as
 * the account with its current password and changes it. Every refusal is a
 * typed {@link Failure} (see `failureOfError`) and changes nothing.
 *
 * Setting the password the account already has succeeds in both modes, so
 * a resumed job can repeat the step: a reset is accepted by the directory,
 * and a refusal for history, or a current password that no longer binds,
 * is followed by a bind with the new one, which ends the step when it works
 * (that bind counts a bad logon when it does not).
 *
 * @category constructors
 */
export const createAdAccountRotator = (
  options: AdAccountRotatorOptions,
): AccountRotator => {
  // TODO(10): one URL is one DC; several DCs (failover, and waiting for
  // replication before services restart elsewhere) matter for a real forest.
  if (!/^ldaps:\/\//i.test(options.url)) {
    throw new TypeError(
      'createAdAccountRotator: the url must be ldaps:// (a password is never sent unencrypted)',
    );
  }
  const logger = options.logger ?? silentLogger;
  const timeout = options.timeoutMs ?? 30_000;

  const connect = async (): Step<Client> => {
    let ca: Buffer;
    try {
      ca = await readFile(options.caFile);
    } catch {
      return E.left(
        failure(
          'CaFileUnreadable',
          `the CA file ${options.caFile} cannot be read`,
        ),
      );
    }

    return E.right(
      new Client({
        url: options.url,
        timeout,
        connectTimeout: timeout,
        tlsOptions: {
          ca: [ca],
          minVersion: 'TLSv1.2',
          ...(options.serverName === undefined
            ? {}
            : { servername: options.serverName }),
        },
      }),
    );
  };

  const attempt = async <A>(
    step: string,
    secrets: ReadonlyArray<Secret | undefined>,
    action: () => Promise<A>,
  ): Step<A> => {
    try {
      return E.right(await action());
    } catch (error) {
      return E.left(failureOfError(step, error, secrets));
    }
  };

  const close = async (client: Client) => {
    await client.unbind().catch(() => undefined);
  };

  const findDn = async (client: Client, user: User): Step<string> => {
    const found = await attempt('searching for the account', [], () =>
      client.search(options.baseDn, {
        scope: 'sub',
        filter: accountFilter(user),
        attributes: ['distinguishedName'],
        sizeLimit: 2,
      }),
    );
    if (E.isLeft(found)) {
      return found;
    }
    const entries = found.right.searchEntries;
    const first = entries[0];
    if (first === undefined) {
      return E.left(
        failure(
          'AccountNotFound',
          `no user ${samOfLogin(user.login)} under ${options.baseDn}`,
        ),
      );
    }
    if (entries.length > 1) {
      return E.left(
        failure(
          'AccountAmbiguous',
          `more than one user matches ${user.login} under ${options.baseDn}`,
        ),
      );
    }

    return E.right(first.dn);
  };

  /** Whether `password` already binds as `dn`, on a connection of its own. */
  const alreadySet = async (dn: string, password: Secret) => {
    const client = await connect();
    if (E.isLeft(client)) {
      return false;
    }
    try {
      await client.right.bind(dn, password.reveal());

      return true;
    } catch {
      return false;
    } finally {
      await close(client.right);
    }
  };

  const reset = (client: Client, dn: string, next: Secret): Step<void> =>
    attempt('resetting the password', [next, options.bindPassword], () =>
      client.modify(
        dn,
        new Change({
          operation: 'replace',
          modification: new Attribute({
            type: 'unicodePwd',
            values: [unicodePwdValue(next)],
          }),
        }),
      ),
    );

  const selfChange = async (
    dn: string,
    next: Secret,
    current: Secret,
    attributes: LogAttributes,
  ): Step<void> => {
    const connected = await connect();
    if (E.isLeft(connected)) {
      return connected;
    }
    const client = connected.right;
    const secrets = [next, current];
    try {
      const bound = await attempt('binding as the account', secrets, () =>
        client.bind(dn, current.reveal()),
      );
      if (E.isLeft(bound)) {
        if (
          bound.left.code === 'InvalidCredentials' &&
          (await alreadySet(dn, next))
        ) {
          logger.info('ad.password.already-set', attributes);

          return E.right(undefined);
        }

        return bound;
      }

      return await attempt('changing the password', secrets, () =>
        client.modify(dn, [
          new Change({
            operation: 'delete',
            modification: new Attribute({
              type: 'unicodePwd',
              values: [unicodePwdValue(current)],
            }),
          }),
          new Change({
            operation: 'add',
            modification: new Attribute({
              type: 'unicodePwd',
              values: [unicodePwdValue(next)],
            }),
          }),
        ]),
      );
    } finally {
      await close(client);
    }
  };

  const change: AccountRotator['change'] = async (user, next, current) => {
    const attributes = { user: user.uid, mode: options.mode };
    const sam = samOfLogin(user.login);
    if (sam === '' || sam.endsWith('$')) {
      return E.left(
        failure(
          'AccountHasNoPassword',
          `user ${user.uid} is a computer or managed account: its password is not rotor's to change`,
        ),
      );
    }
    if (options.mode === 'self-change' && current === undefined) {
      return E.left(
        failure(
          'CurrentPasswordMissing',
          `user ${user.uid}: a self-change needs the current password`,
        ),
      );
    }
    const connected = await connect();
    if (E.isLeft(connected)) {
      return connected;
    }
    const client = connected.right;
    let outcome: E.Either<Failure, void>;
    try {
      const bound = await attempt(
        'binding as the rotor account',
        [options.bindPassword, next, current],
        () => client.bind(options.bindDn, options.bindPassword.reveal()),
      );
      const dn = E.isLeft(bound) ? bound : await findDn(client, user);
      outcome = E.isLeft(dn)
        ? dn
        : options.mode === 'reset' || current === undefined
          ? await reset(client, dn.right, next)
          : await selfChange(dn.right, next, current, attributes);
      if (
        E.isLeft(outcome) &&
        outcome.left.code === 'PasswordInHistory' &&
        E.isRight(dn) &&
        (await alreadySet(dn.right, next))
      ) {
        logger.info('ad.password.already-set', attributes);
        outcome = E.right(undefined);
      }
    } finally {
      await close(client);
    }
    if (E.isLeft(outcome)) {
      logger.warn('ad.password.refused', {
        ...attributes,
        code: outcome.left.code,
      });
    } else {
      logger.info('ad.password.changed', attributes);
    }

    return outcome;
  };

  return { change };
};
