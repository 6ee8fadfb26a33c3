import fc from 'fast-check';
import {
  type DependentKind,
  type Target,
  type Uid,
  allKinds,
} from '@rotor/core';
import type { Fleet } from '../sim/fleet.js';

/** A mapping as `MappingAdded` carries it. @category testing */
export interface MappingSpec {
  readonly gatewayUid: Uid;
  readonly machineUid: Uid;
  readonly userUid: Uid;
  readonly kind: DependentKind;
}

/**
 * A non-empty set of kinds, in the order jobs handle them.
 *
 * @category testing
 */
export const kindsArb: fc.Arbitrary<ReadonlyArray<DependentKind>> = fc
  .subarray([...allKinds], { minLength: 1 })
  .map((kinds) => allKinds.filter((k) => kinds.includes(k)));

/**
 * The mappings of one user of a fleet: some of its machines (at least
 * one), each with some kinds (at least one).
 *
 * @category testing
 */
export const mappingsArb = (
  fleet: Fleet,
  userKey: string,
): fc.Arbitrary<ReadonlyArray<MappingSpec>> => {
  const user = fleet.users.get(userKey);
  if (user === undefined) {
    throw new Error(`no user '${userKey}' in the fleet`);
  }
  const machines = [...fleet.machines.values()];

  return fc
    .subarray(machines, { minLength: 1 })
    .chain((chosen) =>
      fc.tuple(...chosen.map((m) => kindsArb.map((kinds) => ({ m, kinds })))),
    )
    .map((pairs) =>
      pairs.flatMap(({ m, kinds }) =>
        kinds.map((kind) => ({
          gatewayUid: fleet.gateway.uid,
          machineUid: m.uid,
          userUid: user.uid,
          kind,
        })),
      ),
    );
};

/**
 * The targets of a rotation (machine and kinds) that a set of mappings
 * gives, machines in the order first mapped.
 *
 * @category testing
 */
export const targetsOf = (
  mappings: ReadonlyArray<MappingSpec>,
): ReadonlyArray<Target> => {
  const byMachine = new Map<Uid, DependentKind[]>();
  for (const m of mappings) {
    const kinds = byMachine.get(m.machineUid) ?? [];
    if (!kinds.includes(m.kind)) {
      kinds.push(m.kind);
    }
    byMachine.set(m.machineUid, kinds);
  }

  return [...byMachine].map(([machineUid, kinds]) => ({
    machineUid,
    kinds: allKinds.filter((k) => kinds.includes(k)),
  }));
};
