import { allKinds } from './dependent.js';
import type { DependentKind } from './dependent.js';
import type { Target } from './events.js';
import type { ActiveJob, GatewayState, Mapping } from './gatewayState.js';
import type { Uid } from './uid.js';

/**
 * The mappings of the gateway, narrowed to a user and/or a machine, in the
 * order they were added.
 *
 * @category queries
 */
export const mappingsOf = (
  state: GatewayState,
  filter: { readonly userUid?: string; readonly machineUid?: string } = {},
): ReadonlyArray<Mapping> =>
  [...state.mappings.values()].filter(
    (m) =>
      (filter.userUid === undefined || m.userUid === filter.userUid) &&
      (filter.machineUid === undefined || m.machineUid === filter.machineUid),
  );

/**
 * What a rotation of `userUid` would fix: one target per mapped machine
 * (in the order the machines were first mapped), its kinds in the order
 * jobs handle them. Disabled machines are left out, and nothing is
 * returned for a disabled user.
 *
 * @category queries
 */
export const targetsFor = (
  state: GatewayState,
  userUid: string,
): ReadonlyArray<Target> => {
  if (state.disabledUsers.has(userUid)) {
    return [];
  }
  const kinds = new Map<Uid, Set<DependentKind>>();
  for (const m of mappingsOf(state, { userUid })) {
    if (!state.disabledMachines.has(m.machineUid)) {
      kinds.set(
        m.machineUid,
        (kinds.get(m.machineUid) ?? new Set()).add(m.kind),
      );
    }
  }

  return [...kinds].map(([machineUid, set]) => ({
    machineUid,
    kinds: allKinds.filter((k) => set.has(k)),
  }));
};

/**
 * The running job of a user on this gateway, if any.
 *
 * @category queries
 */
export const activeJobOf = (
  state: GatewayState,
  userUid: string,
): ActiveJob | undefined => state.activeJobs.get(userUid);
