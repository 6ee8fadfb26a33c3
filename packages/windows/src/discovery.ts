import * as E from 'fp-ts/lib/Either.js';
import {
  allKinds,
  dependentKey,
  failure,
  silentLogger,
  type Dependent,
  type DiscoveredDependent,
  type DiscoveryResult,
  type Failure,
  type Logger,
  type Machine,
  type Transport,
  type Uid,
  type User,
} from '@rotor/core';
import { decodeOutput } from './decode.js';
import type { Enumeration } from './enumeration.js';
import { failureOfOutput } from './hostFailure.js';
import { remoteCommand } from './scripts.js';
import { snapshotOf } from './snapshot.js';

/**
 * Options of {@link discoverMachine}.
 *
 * @category model
 */
export interface DiscoveryOptions {
  /**
   * The known users, in the order that breaks a tie: a dependent is
   * marked with the first of them whose password it holds.
   */
  readonly users: ReadonlyArray<User>;
  /** Transport timeout of the enumeration. Default 120 000. */
  readonly timeoutMs?: number;
  /** Where the run is reported (names and codes only). */
  readonly logger?: Logger;
}

const enumerateAll = async (
  transport: Transport,
  machine: Machine,
  timeoutMs: number,
  logger: Logger,
): Promise<E.Either<Failure, Enumeration>> => {
  const attributes = { operation: 'discover', machine: machine.uid };
  const command = remoteCommand('enumerate-dependents', {
    kinds: [...allKinds],
  });
  let result: Awaited<ReturnType<Transport['run']>>;
  try {
    result = await transport.run(machine, command, { timeoutMs });
  } catch {
    logger.error('windows.transport.threw', attributes);

    return E.left(failure('ProtocolError', 'discover: the transport failed'));
  }
  if (E.isLeft(result)) {
    logger.warn('windows.operation.unreachable', {
      ...attributes,
      code: result.left.code,
    });

    return E.left(
      failure(result.left.code, result.left.message, {
        transient: result.left.transient,
      }),
    );
  }
  const decoded = decodeOutput('enumerate-dependents', result.right, {
    nonce: command.nonce,
  });
  if (E.isLeft(decoded)) {
    const reported = failureOfOutput(decoded.left);
    logger.warn('windows.operation.failed', {
      ...attributes,
      code: reported.code,
    });

    return E.left(reported);
  }

  return decoded;
};

const everyDependent = (found: Enumeration): ReadonlyArray<Dependent> => [
  ...found.services,
  ...found.tasks,
  ...found.appPools,
];

/**
 * Lists every service, scheduled task and IIS application pool of one
 * Windows machine with the account it runs as, by one read-only
 * `enumerate-dependents` over `transport`. A dependent that holds the
 * password of one of `options.users` (the match `createWindowsHost`'s
 * `enumerate` uses: a service running as the user, a task whose logon
 * type stores a password, a SpecificUser pool) carries that user's uid in
 * `userUid`; the first such user in `options.users` wins.
 *
 * Never rejects: an unreachable machine, a refused logon or output that
 * does not decode is a `Left` {@link DiscoveryResult.outcome} with the
 * failure's code, so a caller can record it and imply nothing from it.
 * The result feeds the core's `decideDiscovery` (`RecordDiscovery`).
 *
 * @example
 * ```ts
 * const found = await discoverMachine(transport, machine, {
 *   users: inventory.users,
 * });
 * ```
 *
 * @category constructors
 */
export const discoverMachine = async (
  transport: Transport,
  machine: Machine,
  options: DiscoveryOptions,
): Promise<DiscoveryResult> => {
  const found = await enumerateAll(
    transport,
    machine,
    options.timeoutMs ?? 120_000,
    options.logger ?? silentLogger,
  );
  if (E.isLeft(found)) {
    return { machineUid: machine.uid, outcome: found };
  }
  const owner = new Map<string, Uid>();
  for (const user of options.users) {
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
