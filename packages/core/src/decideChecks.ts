import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { DependentKindCodec, allKinds } from './dependent.js';
import type { DependentKind } from './dependent.js';
import type { DecideError } from './decideErrors.js';
import type { DecideContext } from './decideTypes.js';
import type { Machine, User } from './records.js';

/**
 * Checks 1 to 3: the uid names a record, the record is a machine, and the
 * machine is served by this gateway.
 *
 * @category deciders
 */
export const checkMachine = (
  context: DecideContext,
  machineUid: string,
): E.Either<DecideError, Machine> => {
  const record = context.inventory.get(machineUid);
  if (record === undefined) {
    return E.left({ _tag: 'UnknownMachine', machineUid });
  }
  if (record.type !== 'machine') {
    return E.left({
      _tag: 'NotAMachine',
      uid: machineUid,
      recordType: record.type,
    });
  }
  if (record.gatewayUid !== context.gatewayUid) {
    return E.left({
      _tag: 'MachineNotOnGateway',
      machineUid,
      machineGatewayUid: record.gatewayUid,
      gatewayUid: context.gatewayUid,
    });
  }

  return E.right(record);
};

/**
 * Checks 4 and 5: the uid names a record, and the record is a user.
 *
 * @category deciders
 */
export const checkUser = (
  context: DecideContext,
  userUid: string,
): E.Either<DecideError, User> => {
  const record = context.inventory.get(userUid);
  if (record === undefined) {
    return E.left({ _tag: 'UnknownUser', userUid });
  }
  if (record.type !== 'user') {
    return E.left({ _tag: 'NotAUser', uid: userUid, recordType: record.type });
  }

  return E.right(record);
};

/**
 * Check 6: the machine's os is `windows`. The comparison ignores case and
 * surrounding spaces (`' Windows '` passes): inventories are typed by hand,
 * and a stray space is not a different operating system.
 *
 * @category deciders
 */
export const checkWindows = (
  machine: Machine,
): E.Either<DecideError, Machine> => {
  const os = machine.os;
  const fail = (reason: 'missing' | 'blank' | 'other') =>
    E.left<DecideError, Machine>({
      _tag: 'MachineNotWindows',
      machineUid: machine.uid,
      reason,
      ...(reason === 'other' && os !== undefined ? { os } : {}),
    });
  if (os === undefined) {
    return fail('missing');
  }
  if (os.trim() === '') {
    return fail('blank');
  }

  return os.trim().toLowerCase() === 'windows'
    ? E.right(machine)
    : fail('other');
};

/**
 * Check 7: each kind is `service`, `task` or `iis`. None (absent or empty)
 * means all three; duplicates count once; the result is in the order jobs
 * handle kinds.
 *
 * @category deciders
 */
export const checkKinds = (
  kinds: ReadonlyArray<string> | undefined,
): E.Either<DecideError, ReadonlyArray<DependentKind>> => {
  if (kinds === undefined || kinds.length === 0) {
    return E.right(allKinds);
  }
  const bad = kinds.find((k) => !DependentKindCodec.is(k));
  if (bad !== undefined) {
    return E.left({ _tag: 'InvalidKind', kind: bad });
  }

  return E.right(allKinds.filter((k) => kinds.includes(k)));
};

/**
 * Check 8: a local user is mapped only to its own machine. A local account
 * exists on one machine alone, the one its record's `passwordHostUid`
 * names; on any other machine an account of the same name is a different
 * account, whose dependents must not get this user's password. A local
 * user whose record names no machine cannot be rotated (the account
 * rotator would not know where to change it), so it maps nowhere.
 *
 * @category deciders
 */
export const checkLocalHome = (
  machine: Machine,
  user: User,
): E.Either<DecideError, User> =>
  user.scope !== 'local' || user.passwordHostUid === machine.uid
    ? E.right(user)
    : E.left({
        _tag: 'LocalUserElsewhere',
        userUid: user.uid,
        machineUid: machine.uid,
        ...(user.passwordHostUid === undefined
          ? {}
          : { homeMachineUid: user.passwordHostUid }),
      });

/** A mapping command's inputs once every check passed. */
export interface CheckedMapping {
  readonly machine: Machine;
  readonly user: User;
  readonly kinds: ReadonlyArray<DependentKind>;
}

/**
 * Every check of a mapping command, in order 1 to 7.
 *
 * @category deciders
 */
export const checkMapping = (
  context: DecideContext,
  input: {
    readonly machineUid: string;
    readonly userUid: string;
    readonly kinds?: ReadonlyArray<string>;
  },
): E.Either<DecideError, CheckedMapping> =>
  pipe(
    E.Do,
    E.apS('machine', checkMachine(context, input.machineUid)),
    E.bind('user', () => checkUser(context, input.userUid)),
    E.chainFirst(({ machine }) => checkWindows(machine)),
    E.bind('kinds', () => checkKinds(input.kinds)),
  );
