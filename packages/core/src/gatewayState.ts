import type { DependentKind } from './dependent.js';
import type { MappingScope, RotorEvent } from './events.js';
import type { Uid } from './uid.js';

/**
 * One mapping: when `userUid` rotates, fix its dependents of `kind` on
 * `machineUid`; a job of `gatewayUid` does it.
 *
 * @category model
 */
export interface Mapping {
  readonly gatewayUid: Uid;
  readonly machineUid: Uid;
  readonly userUid: Uid;
  readonly kind: DependentKind;
}

/**
 * A job of the gateway that was scheduled and has not finished.
 *
 * @category model
 */
export interface ActiveJob {
  readonly jobId: Uid;
  readonly userUid: Uid;
  readonly at: string;
}

/**
 * The mapping table of one gateway, folded from its events: the mappings
 * in the order they were added, the machines and users that are disabled,
 * the jobs running per user, and how many mapping events were seen (so the
 * next append to the mapping stream can state its expected revision).
 *
 * @category model
 */
export interface GatewayState {
  readonly gatewayUid: Uid;
  readonly mappings: ReadonlyMap<string, Mapping>;
  readonly disabledMachines: ReadonlySet<string>;
  readonly disabledUsers: ReadonlySet<string>;
  readonly activeJobs: ReadonlyMap<string, ActiveJob>;
  readonly mappingEvents: number;
}

/**
 * The key of a mapping in {@link GatewayState.mappings}.
 *
 * @category utils
 */
export const mappingKey = (m: {
  readonly machineUid: string;
  readonly userUid: string;
  readonly kind: DependentKind;
}): string => `${m.machineUid}/${m.userUid}/${m.kind}`;

/**
 * The state of a gateway before any event.
 *
 * @category constructors
 */
export const initialGatewayState = (gatewayUid: Uid): GatewayState => ({
  gatewayUid,
  mappings: new Map(),
  disabledMachines: new Set(),
  disabledUsers: new Set(),
  activeJobs: new Map(),
  mappingEvents: 0,
});

const setWith = (set: ReadonlySet<string>, uid: string, on: boolean) => {
  const next = new Set(set);
  if (on) {
    next.add(uid);
  } else {
    next.delete(uid);
  }

  return next;
};

const toggled = (
  state: GatewayState,
  scope: MappingScope,
  disabled: boolean,
): GatewayState =>
  'machineUid' in scope
    ? {
        ...state,
        disabledMachines: setWith(
          state.disabledMachines,
          scope.machineUid,
          disabled,
        ),
      }
    : {
        ...state,
        disabledUsers: setWith(state.disabledUsers, scope.userUid, disabled),
      };

const counted = (state: GatewayState): GatewayState => ({
  ...state,
  mappingEvents: state.mappingEvents + 1,
});

const finished = (state: GatewayState, jobId: string): GatewayState => {
  const entry = [...state.activeJobs].find(([, j]) => j.jobId === jobId);
  if (entry === undefined) {
    return state;
  }
  const activeJobs = new Map(state.activeJobs);
  activeJobs.delete(entry[0]);

  return { ...state, activeJobs };
};

/**
 * Applies one event to a gateway's state. Pure and total: events of other
 * gateways, of jobs this state does not know, and job steps between
 * `RotationScheduled` and `JobFinished` leave it as it was. A job counts as
 * running from `RotationScheduled` (or `JobReopened`) until its
 * `JobFinished`.
 *
 * @category reducers
 */
export const evolveGateway = (
  state: GatewayState,
  event: RotorEvent,
): GatewayState => {
  switch (event.type) {
    case 'MappingAdded':
    case 'MappingRemoved': {
      const { gatewayUid, machineUid, userUid, kind } = event.data;
      if (gatewayUid !== state.gatewayUid) {
        return state;
      }
      const mappings = new Map(state.mappings);
      const key = mappingKey({ machineUid, userUid, kind });
      if (event.type === 'MappingAdded') {
        mappings.set(key, { gatewayUid, machineUid, userUid, kind });
      } else {
        mappings.delete(key);
      }

      return counted({ ...state, mappings });
    }
    case 'MappingsDisabled':
    case 'MappingsEnabled':
      return event.data.gatewayUid === state.gatewayUid
        ? counted(
            toggled(state, event.data.scope, event.type === 'MappingsDisabled'),
          )
        : state;
    case 'RotationScheduled': {
      const { gatewayUid, jobId, userUid, at } = event.data;
      if (gatewayUid !== state.gatewayUid) {
        return state;
      }
      const activeJobs = new Map(state.activeJobs);
      activeJobs.set(userUid, { jobId, userUid, at });

      return { ...state, activeJobs };
    }
    case 'JobReopened': {
      const { gatewayUid, jobId, userUid, at } = event.data;
      if (gatewayUid !== state.gatewayUid) {
        return state;
      }
      const activeJobs = new Map(state.activeJobs);
      activeJobs.set(userUid, { jobId, userUid, at });

      return { ...state, activeJobs };
    }
    case 'DependentsDiscovered':
    case 'DiscoveryFailed':
      // Discovery is written to the mapping stream (so it is counted for
      // the stream's revision) and changes no mapping.
      return event.data.gatewayUid === state.gatewayUid
        ? counted(state)
        : state;
    case 'JobFinished':
      return finished(state, event.data.jobId);
    case 'PasswordChanged':
    case 'PasswordChangeFailed':
    case 'DependentsFound':
    case 'ServiceCredentialUpdated':
    case 'TaskCredentialUpdated':
    case 'AppPoolCredentialUpdated':
    case 'ServiceRestarted':
    case 'AppPoolRecycled':
    case 'ServiceRestartSkipped':
    case 'DependentFailed':
    case 'MachineFailed':
    case 'PreflightPassed':
    case 'PreflightFailed':
    case 'ServiceRestartHalted':
    case 'AppPoolRecycleHalted':
    case 'JobClaimed':
    case 'JobClaimRenewed':
    case 'JobClaimReleased':
    case 'GatewayHeartbeat':
    case 'GatewayProcessStopped':
      return state;
  }
};
