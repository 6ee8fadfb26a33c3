import {
  allKinds,
  dependentKey,
  failure,
  type Dependent,
  type DiscoveredDependent,
  type DiscoveryResult,
  type Machine,
  type Transport,
  type Uid,
  type User,
} from '@rotor/core';
import {
  decodeOutput,
  failureOfOutput,
  remoteCommand,
  snapshotOf,
  type Enumeration,
} from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';

// TODO(8): this belongs in @rotor/windows as a HostOperations-like
// `discover(machine)` (helper C's package); it lives here until then and
// uses only the package's public API.

const enumerateAll = async (
  transport: Transport,
  machine: Machine,
  timeoutMs: number,
): Promise<E.Either<ReturnType<typeof failure>, Enumeration>> => {
  let result: Awaited<ReturnType<Transport['run']>>;
  try {
    result = await transport.run(
      machine,
      remoteCommand('enumerate-dependents', { kinds: [...allKinds] }),
      { timeoutMs },
    );
  } catch {
    return E.left(failure('ProtocolError', 'the transport failed'));
  }
  if (E.isLeft(result)) {
    return E.left(
      failure(result.left.code, result.left.message, {
        transient: result.left.transient,
      }),
    );
  }

  return E.mapLeft(failureOfOutput)(
    decodeOutput('enumerate-dependents', result.right),
  );
};

const everyDependent = (found: Enumeration): ReadonlyArray<Dependent> => [
  ...found.services,
  ...found.tasks,
  ...found.appPools,
];

/**
 * Lists every service, task and pool of one machine with the account it
 * runs as, marking each that holds the password of a known user with that
 * user's uid (the first user, in inventory order, that matches).
 */
export const discoverMachine = async (
  transport: Transport,
  machine: Machine,
  users: ReadonlyArray<User>,
  timeoutMs = 120_000,
): Promise<DiscoveryResult> => {
  const found = await enumerateAll(transport, machine, timeoutMs);
  if (E.isLeft(found)) {
    return { machineUid: machine.uid, outcome: found };
  }
  const owner = new Map<string, Uid>();
  for (const user of users) {
    for (const d of snapshotOf(found.right, user, allKinds).dependents) {
      const key = dependentKey(d);
      if (!owner.has(key)) {
        owner.set(key, user.uid);
      }
    }
  }
  const dependents = everyDependent(found.right).map(
    (d): DiscoveredDependent => {
      const userUid = owner.get(dependentKey(d));

      return {
        kind: d.kind,
        name: d.name,
        account: d.account,
        ...(userUid === undefined ? {} : { userUid }),
      };
    },
  );

  return { machineUid: machine.uid, outcome: E.right(dependents) };
};
