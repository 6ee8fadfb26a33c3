import * as E from 'fp-ts/lib/Either.js';
import { failure, type AccountRotator } from '@rotor/core';

/**
 * The embedding application's own directory client, as such SDKs usually
 * look: a promise that rejects when the directory refuses.
 */
export interface DirectoryClient {
  readonly resetPassword: (account: string, password: string) => Promise<void>;
}

/** `svc-app` from `CONTOSO\svc-app`, `svc-app@contoso.com` or `svc-app`. */
export const accountNameOf = (login: string): string =>
  login.replace(/^.*\\/, '').replace(/@.*$/, '');

// #region directoryRotator
/**
 * rotor's {@link AccountRotator} over that client. A rejection becomes a
 * permanent `DirectoryRefused` failure (the engine then finishes the job
 * `failed` and touches no dependent); its message is the client's, with
 * the new password cut out in case the client echoed it.
 */
export const directoryRotator = (client: DirectoryClient): AccountRotator => ({
  change: async (user, next) => {
    const password = next.reveal();
    try {
      await client.resetPassword(accountNameOf(user.login), password);

      return E.right(undefined);
    } catch (e) {
      const message = (e instanceof Error ? e.message : String(e))
        .split(password)
        .join('[secret]');

      return E.left(failure('DirectoryRefused', message));
    }
  },
});
// #endregion directoryRotator
