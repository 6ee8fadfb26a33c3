import * as t from 'io-ts';
import {
  DependentCodec,
  DependentKindCodec,
  HostFactsCodec,
} from './dependent.js';
import { FailureCodec } from './failure.js';
import { UidCodec } from './uid.js';

/** An ISO-8601 timestamp, as the clock port gives it. */
const Timestamp = t.string;

const event = <T extends string, P extends t.Props>(
  type: T,
  props: P,
  optional: t.Props = {},
) =>
  t.type(
    {
      type: t.literal(type),
      data: t.intersection([t.type(props), t.partial(optional)]),
    },
    type,
  );

const mappingKey = {
  gatewayUid: UidCodec,
  machineUid: UidCodec,
  userUid: UidCodec,
  kind: DependentKindCodec,
};

/** Mapping (gateway, machine, user, kind) was added. @category codecs */
export const MappingAddedCodec = event('MappingAdded', {
  ...mappingKey,
  by: t.string,
  at: Timestamp,
});

/** Mapping (gateway, machine, user, kind) was removed. @category codecs */
export const MappingRemovedCodec = event('MappingRemoved', {
  ...mappingKey,
  by: t.string,
  at: Timestamp,
});

/**
 * What an enable or disable applies to: every mapping of one machine, or of
 * one user, on a gateway.
 *
 * @category codecs
 */
export const MappingScopeCodec = t.union(
  [t.type({ machineUid: UidCodec }), t.type({ userUid: UidCodec })],
  'MappingScope',
);

/** @category model */
export type MappingScope = t.TypeOf<typeof MappingScopeCodec>;

/** A machine or a user was disabled: rotations skip it. @category codecs */
export const MappingsDisabledCodec = event('MappingsDisabled', {
  gatewayUid: UidCodec,
  scope: MappingScopeCodec,
  by: t.string,
  at: Timestamp,
});

/** A disabled machine or user was enabled again. @category codecs */
export const MappingsEnabledCodec = event('MappingsEnabled', {
  gatewayUid: UidCodec,
  scope: MappingScopeCodec,
  by: t.string,
  at: Timestamp,
});

/** One machine of a job and the kinds to fix on it. @category codecs */
export const TargetCodec = t.type(
  { machineUid: UidCodec, kinds: t.array(DependentKindCodec) },
  'Target',
);

/** @category model */
export type Target = t.TypeOf<typeof TargetCodec>;

/**
 * How a job runs. `external`: the password was changed elsewhere and is
 * only propagated. `restart: false`: set passwords, defer restarts.
 * `preflight` (optional, added later): reach, log on to and enumerate every
 * target before the password is changed, and change nothing if one fails.
 *
 * @category codecs
 */
export const JobOptionsCodec = t.intersection(
  [
    t.type({ external: t.boolean, restart: t.boolean }),
    t.partial({ preflight: t.boolean }),
  ],
  'JobOptions',
);

/** @category model */
export type JobOptions = t.TypeOf<typeof JobOptionsCodec>;

/** A rotation of one user was scheduled. @category codecs */
export const RotationScheduledCodec = event('RotationScheduled', {
  jobId: UidCodec,
  gatewayUid: UidCodec,
  userUid: UidCodec,
  targets: t.array(TargetCodec),
  options: JobOptionsCodec,
  by: t.string,
  at: Timestamp,
});

/**
 * The account's password was changed (`by: engine`) or was found changed
 * elsewhere (`by: external`). The password is referred to by its version in
 * the secret store only.
 *
 * @category codecs
 */
export const PasswordChangedCodec = event('PasswordChanged', {
  jobId: UidCodec,
  secretVersion: t.number,
  by: t.keyof({ engine: null, external: null }),
  at: Timestamp,
});

/**
 * The account's password could not be changed; no dependent is touched.
 *
 * @category codecs
 */
export const PasswordChangeFailedCodec = event('PasswordChangeFailed', {
  jobId: UidCodec,
  error: FailureCodec,
  at: Timestamp,
});

/**
 * The dependents of the account on one machine, as they were before any
 * change. This snapshot decides which services are restarted.
 *
 * @category codecs
 */
export const DependentsFoundCodec = event('DependentsFound', {
  jobId: UidCodec,
  machineUid: UidCodec,
  host: HostFactsCodec,
  dependents: t.array(DependentCodec),
  at: Timestamp,
});

const onDependent = {
  jobId: UidCodec,
  machineUid: UidCodec,
  dependent: t.string,
  at: Timestamp,
};

/** A service's stored password was set. @category codecs */
export const ServiceCredentialUpdatedCodec = event('ServiceCredentialUpdated', {
  ...onDependent,
  secretVersion: t.number,
});

/** A scheduled task's stored password was set. @category codecs */
export const TaskCredentialUpdatedCodec = event('TaskCredentialUpdated', {
  ...onDependent,
  secretVersion: t.number,
});

/** An app pool's identity password was set. @category codecs */
export const AppPoolCredentialUpdatedCodec = event('AppPoolCredentialUpdated', {
  ...onDependent,
  secretVersion: t.number,
});

/**
 * A running service was restarted, and the dependent services that were
 * running were started again.
 *
 * @category codecs
 */
export const ServiceRestartedCodec = event('ServiceRestarted', {
  ...onDependent,
  dependentsRestarted: t.array(t.string),
});

/** A started app pool was recycled. @category codecs */
export const AppPoolRecycledCodec = event('AppPoolRecycled', onDependent);

/**
 * A service was not restarted, and why: it was not running before the job
 * (`not-running`), or restarts were deferred (`deferred`).
 *
 * @category codecs
 */
export const ServiceRestartSkippedCodec = event('ServiceRestartSkipped', {
  ...onDependent,
  reason: t.keyof({ 'not-running': null, deferred: null }),
});

/** The step a failure happened in. @category codecs */
export const StepCodec = t.keyof(
  {
    enumerate: null,
    update: null,
    restart: null,
    recycle: null,
  },
  'Step',
);

/** @category model */
export type Step = t.TypeOf<typeof StepCodec>;

/** One dependent could not be fixed. @category codecs */
export const DependentFailedCodec = event('DependentFailed', {
  ...onDependent,
  kind: DependentKindCodec,
  step: StepCodec,
  error: FailureCodec,
});

/**
 * A machine could not be worked on (unreachable, logon refused, TLS or host
 * key mismatch, timeout); its remaining dependents are left as they are.
 *
 * @category codecs
 */
export const MachineFailedCodec = event('MachineFailed', {
  jobId: UidCodec,
  machineUid: UidCodec,
  step: StepCodec,
  error: FailureCodec,
  at: Timestamp,
});

/** How a job ended. @category codecs */
export const JobStatusCodec = t.keyof(
  { finished: null, 'finished-with-errors': null, failed: null },
  'JobStatus',
);

/** @category model */
export type JobOutcome = t.TypeOf<typeof JobStatusCodec>;

/** The tallies of a finished job. @category codecs */
export const JobCountsCodec = t.type(
  {
    machines: t.number,
    machinesFailed: t.number,
    dependents: t.number,
    updated: t.number,
    restarted: t.number,
    recycled: t.number,
    skipped: t.number,
    failed: t.number,
  },
  'JobCounts',
);

/** @category model */
export type JobCounts = t.TypeOf<typeof JobCountsCodec>;

/** The job ended. @category codecs */
export const JobFinishedCodec = event('JobFinished', {
  jobId: UidCodec,
  status: JobStatusCodec,
  counts: JobCountsCodec,
  durationMs: t.number,
  message: t.string,
  at: Timestamp,
});

/** One machine a pre-flight reached, and how many dependents it found. */
const PreflightMachineCodec = t.type(
  { machineUid: UidCodec, dependents: t.number },
  'PreflightMachine',
);

/** One machine a pre-flight could not use, and why. @category codecs */
export const PreflightFailureCodec = t.type(
  { machineUid: UidCodec, step: StepCodec, error: FailureCodec },
  'PreflightFailure',
);

/** @category model */
export type PreflightFailure = t.TypeOf<typeof PreflightFailureCodec>;

/**
 * Before the password was changed, every target machine was reached, logged
 * on to and enumerated. Only a job scheduled with `preflight` has one.
 *
 * @category codecs
 */
export const PreflightPassedCodec = event('PreflightPassed', {
  jobId: UidCodec,
  machines: t.array(PreflightMachineCodec),
  at: Timestamp,
});

/**
 * The pre-flight found machines it could not use: nothing was changed, and
 * the job then finishes `failed`.
 *
 * @category codecs
 */
export const PreflightFailedCodec = event('PreflightFailed', {
  jobId: UidCodec,
  failures: t.array(PreflightFailureCodec),
  at: Timestamp,
});

/**
 * A service restart that was planned and not attempted, because a logon
 * failure (a wrong or not yet replicated password) halted the job's
 * restarts: the canary's, or enough to spend the failed-logon budget.
 * `rotor restart <job>` resumes it.
 *
 * @category codecs
 */
export const ServiceRestartHaltedCodec = event('ServiceRestartHalted', {
  ...onDependent,
  failedLogons: t.number,
  budget: t.number,
});

/**
 * A pool recycle halted like a service restart (see
 * `ServiceRestartHalted`); `rotor restart <job>` resumes it.
 *
 * @category codecs
 */
export const AppPoolRecycleHaltedCodec = event('AppPoolRecycleHalted', {
  ...onDependent,
  failedLogons: t.number,
  budget: t.number,
});

/**
 * A finished job was opened again, by the same gateway and for the same
 * user: `restart` does the restarts that were deferred or halted, `retry`
 * does again what failed, with the job's password. A `JobFinished` closes
 * it again.
 *
 * @category codecs
 */
export const JobReopenedCodec = event('JobReopened', {
  jobId: UidCodec,
  gatewayUid: UidCodec,
  userUid: UidCodec,
  purpose: t.keyof({ restart: null, retry: null }),
  by: t.string,
  at: Timestamp,
});

/**
 * What `rotor discover` saw on one machine: every service, task and pool
 * with the account it runs as, and the known users that match. Written to
 * the gateway's mapping stream; it changes no mapping.
 *
 * @category codecs
 */
export const DependentsDiscoveredCodec = event('DependentsDiscovered', {
  gatewayUid: UidCodec,
  machineUid: UidCodec,
  dependents: t.array(
    t.intersection([
      t.type({ kind: DependentKindCodec, name: t.string, account: t.string }),
      t.partial({ userUid: UidCodec }),
    ]),
  ),
  by: t.string,
  at: Timestamp,
});

/** A machine `rotor discover` could not reach or read. @category codecs */
export const DiscoveryFailedCodec = event('DiscoveryFailed', {
  gatewayUid: UidCodec,
  machineUid: UidCodec,
  error: FailureCodec,
  by: t.string,
  at: Timestamp,
});

const claimBy = {
  jobId: UidCodec,
  gatewayUid: UidCodec,
  processId: t.string,
  leaseUntil: Timestamp,
  at: Timestamp,
};

/**
 * A gateway process took a job's work, until `leaseUntil` unless it renews
 * the claim. It is appended to the job stream at the revision the process
 * read, so of two processes that race for a job one wins; it is also how a
 * process takes over a job whose lease ran out. It changes no plan.
 *
 * @category codecs
 */
export const JobClaimedCodec = event('JobClaimed', claimBy);

/**
 * The process that holds a job's claim extended its lease. @category codecs
 */
export const JobClaimRenewedCodec = event('JobClaimRenewed', claimBy);

/**
 * The process that held a job's claim gave it up before the job finished
 * (it was stopped), so another may claim the job at once.
 *
 * @category codecs
 */
export const JobClaimReleasedCodec = event('JobClaimReleased', {
  jobId: UidCodec,
  gatewayUid: UidCodec,
  processId: t.string,
  at: Timestamp,
});

/**
 * A gateway process is alive and follows the store, until `expiresAt`
 * unless it records another heartbeat. Written to `gateway-<gatewayUid>`.
 *
 * @category codecs
 */
export const GatewayHeartbeatCodec = event('GatewayHeartbeat', {
  gatewayUid: UidCodec,
  processId: t.string,
  at: Timestamp,
  expiresAt: Timestamp,
});

/** A gateway process stopped cleanly. @category codecs */
export const GatewayProcessStoppedCodec = event('GatewayProcessStopped', {
  gatewayUid: UidCodec,
  processId: t.string,
  at: Timestamp,
});

/** Every event of a `gateway-<gatewayUid>` stream. @category codecs */
export const GatewayEventCodec = t.union(
  [GatewayHeartbeatCodec, GatewayProcessStoppedCodec],
  'GatewayEvent',
);

/** Every event of a `mappings-<gatewayUid>` stream. @category codecs */
export const MappingEventCodec = t.union(
  [
    MappingAddedCodec,
    MappingRemovedCodec,
    MappingsDisabledCodec,
    MappingsEnabledCodec,
    DependentsDiscoveredCodec,
    DiscoveryFailedCodec,
  ],
  'MappingEvent',
);

/** Every event of a `job-<jobId>` stream. @category codecs */
export const JobEventCodec = t.union(
  [
    RotationScheduledCodec,
    PasswordChangedCodec,
    PasswordChangeFailedCodec,
    DependentsFoundCodec,
    ServiceCredentialUpdatedCodec,
    TaskCredentialUpdatedCodec,
    AppPoolCredentialUpdatedCodec,
    ServiceRestartedCodec,
    AppPoolRecycledCodec,
    ServiceRestartSkippedCodec,
    DependentFailedCodec,
    MachineFailedCodec,
    JobFinishedCodec,
    PreflightPassedCodec,
    PreflightFailedCodec,
    ServiceRestartHaltedCodec,
    AppPoolRecycleHaltedCodec,
    JobReopenedCodec,
    JobClaimedCodec,
    JobClaimRenewedCodec,
    JobClaimReleasedCodec,
  ],
  'JobEvent',
);

/** Every event rotor writes. @category codecs */
export const RotorEventCodec = t.union(
  [MappingEventCodec, JobEventCodec, GatewayEventCodec],
  'RotorEvent',
);

/** @category model */
export type MappingAdded = t.TypeOf<typeof MappingAddedCodec>;
/** @category model */
export type MappingRemoved = t.TypeOf<typeof MappingRemovedCodec>;
/** @category model */
export type MappingsDisabled = t.TypeOf<typeof MappingsDisabledCodec>;
/** @category model */
export type MappingsEnabled = t.TypeOf<typeof MappingsEnabledCodec>;
/** @category model */
export type RotationScheduled = t.TypeOf<typeof RotationScheduledCodec>;
/** @category model */
export type PasswordChanged = t.TypeOf<typeof PasswordChangedCodec>;
/** @category model */
export type PasswordChangeFailed = t.TypeOf<typeof PasswordChangeFailedCodec>;
/** @category model */
export type DependentsFound = t.TypeOf<typeof DependentsFoundCodec>;
/** @category model */
export type ServiceCredentialUpdated = t.TypeOf<
  typeof ServiceCredentialUpdatedCodec
>;
/** @category model */
export type TaskCredentialUpdated = t.TypeOf<typeof TaskCredentialUpdatedCodec>;
/** @category model */
export type AppPoolCredentialUpdated = t.TypeOf<
  typeof AppPoolCredentialUpdatedCodec
>;
/** @category model */
export type ServiceRestarted = t.TypeOf<typeof ServiceRestartedCodec>;
/** @category model */
export type AppPoolRecycled = t.TypeOf<typeof AppPoolRecycledCodec>;
/** @category model */
export type ServiceRestartSkipped = t.TypeOf<typeof ServiceRestartSkippedCodec>;
/** @category model */
export type DependentFailed = t.TypeOf<typeof DependentFailedCodec>;
/** @category model */
export type MachineFailed = t.TypeOf<typeof MachineFailedCodec>;
/** @category model */
export type JobFinished = t.TypeOf<typeof JobFinishedCodec>;
/** @category model */
export type PreflightPassed = t.TypeOf<typeof PreflightPassedCodec>;
/** @category model */
export type PreflightFailed = t.TypeOf<typeof PreflightFailedCodec>;
/** @category model */
export type ServiceRestartHalted = t.TypeOf<typeof ServiceRestartHaltedCodec>;
/** @category model */
export type AppPoolRecycleHalted = t.TypeOf<typeof AppPoolRecycleHaltedCodec>;
/** @category model */
export type JobReopened = t.TypeOf<typeof JobReopenedCodec>;
/** @category model */
export type DependentsDiscovered = t.TypeOf<typeof DependentsDiscoveredCodec>;
/** @category model */
export type DiscoveryFailed = t.TypeOf<typeof DiscoveryFailedCodec>;
/** @category model */
export type JobClaimed = t.TypeOf<typeof JobClaimedCodec>;
/** @category model */
export type JobClaimRenewed = t.TypeOf<typeof JobClaimRenewedCodec>;
/** @category model */
export type JobClaimReleased = t.TypeOf<typeof JobClaimReleasedCodec>;
/** @category model */
export type GatewayHeartbeat = t.TypeOf<typeof GatewayHeartbeatCodec>;
/** @category model */
export type GatewayProcessStopped = t.TypeOf<typeof GatewayProcessStoppedCodec>;
/** @category model */
export type GatewayEvent = t.TypeOf<typeof GatewayEventCodec>;
/** @category model */
export type MappingEvent = t.TypeOf<typeof MappingEventCodec>;
/** @category model */
export type JobEvent = t.TypeOf<typeof JobEventCodec>;
/** @category model */
export type RotorEvent = t.TypeOf<typeof RotorEventCodec>;

/** The stream that holds a gateway's mappings. @category utils */
export const mappingStream = (gatewayUid: string): string =>
  `mappings-${gatewayUid}`;

/** The stream that holds one job. @category utils */
export const jobStream = (jobId: string): string => `job-${jobId}`;

/** The stream of a gateway's process heartbeats. @category utils */
export const gatewayStream = (gatewayUid: string): string =>
  `gateway-${gatewayUid}`;
