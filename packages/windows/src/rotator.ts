import * as E from 'fp-ts/lib/Either.js';
import {
  failure,
  type AccountRotator,
  type HostOperations,
  type Inventory,
} from '@rotor/core';

/**
 * An {@link AccountRotator} that changes a password on the machine named by
 * the user record's `passwordHostUid`: the account's own machine for a
 * local account; a domain controller or a member with the ActiveDirectory
 * module for a domain account. A user without that machine, or naming a
 * record that is not a machine, is a typed failure and nothing is sent.
 *
 * @category constructors
 */
export const hostAccountRotator = (deps: {
  readonly host: HostOperations;
  readonly inventory: Inventory;
}): AccountRotator => ({
  change: async (user, next, _current, options) => {
    const uid = user.passwordHostUid;
    if (uid === undefined) {
      return E.left(
        failure(
          'PasswordHostMissing',
          `user ${user.uid} names no machine through which its password is changed`,
        ),
      );
    }
    const machine = deps.inventory.get(uid);
    if (machine === undefined || machine.type !== 'machine') {
      return E.left(
        failure(
          'PasswordHostUnknown',
          `user ${user.uid} names ${uid}, which is not a known machine`,
        ),
      );
    }
    const changed = await deps.host.changeAccountPassword(
      machine,
      user,
      next,
      options,
    );

    return E.isLeft(changed)
      ? E.left(changed.left.failure)
      : E.right(undefined);
  },
});
