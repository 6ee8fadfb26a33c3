/**
 * The functional core of rotor: records, events and their codecs, the
 * deciders and reducers, the planner, the ports, and the RxJS engine.
 *
 * @packageDocumentation
 */

export { Secret } from './secret.js';
export { UidCodec, isUid, uidFromBytes } from './uid.js';
export {
  AccountScopeCodec,
  DomainNamesCodec,
  GatewayCodec,
  InventoryRecordCodec,
  MachineCodec,
  ProtocolCodec,
  TrustCodec,
  UserCodec,
  inventoryOf,
} from './records.js';
export {
  AppPoolDependentCodec,
  AppPoolStateCodec,
  DependentCodec,
  DependentKindCodec,
  HostFactsCodec,
  IdentityTypeCodec,
  ServiceDependentCodec,
  ServiceStateCodec,
  StartModeCodec,
  TaskDependentCodec,
  TaskLogonTypeCodec,
  TaskStateCodec,
  allKinds,
  dependentKey,
} from './dependent.js';
export { FailureCodec, failure } from './failure.js';
export {
  AppPoolCredentialUpdatedCodec,
  AppPoolRecycledCodec,
  DependentFailedCodec,
  DependentsFoundCodec,
  JobCountsCodec,
  JobEventCodec,
  JobFinishedCodec,
  JobOptionsCodec,
  JobStatusCodec,
  MachineFailedCodec,
  MappingAddedCodec,
  MappingEventCodec,
  MappingRemovedCodec,
  MappingScopeCodec,
  MappingsDisabledCodec,
  MappingsEnabledCodec,
  PasswordChangeFailedCodec,
  PasswordChangedCodec,
  RotationScheduledCodec,
  RotorEventCodec,
  ServiceCredentialUpdatedCodec,
  ServiceRestartSkippedCodec,
  ServiceRestartedCodec,
  StepCodec,
  TargetCodec,
  TaskCredentialUpdatedCodec,
  jobStream,
  mappingStream,
} from './events.js';
export { silentLogger } from './ports.js';
export { fixedClock, systemClock } from './clock.js';
export { createMemoryEventStore } from './memoryStore.js';
export {
  decodeRecordedEvent,
  decodeStream,
  formatDecodeFailure,
  replay,
} from './decode.js';
export { submitCommand } from './submit.js';
export {
  evolveGateway,
  initialGatewayState,
  mappingKey,
} from './gatewayState.js';
export { activeJobOf, mappingsOf, targetsFor } from './gatewayStateQueries.js';
export { decide } from './decide.js';
export { describeDecideError, describeWarning } from './decideErrors.js';
export {
  checkPasswordPolicy,
  defaultPasswordPolicy,
  describePasswordPolicyInvalid,
  generatePassword,
  passwordGenerator,
} from './password.js';
export { nodeRandom, randomIndex } from './passwordRandom.js';
export { randomIds } from './ids.js';
export { createMemorySecretStore } from './memorySecrets.js';
export { decideSpec } from './testing/decider.js';
export { testMachine, testUser, withoutOs } from './testing/fixtures.js';
export { testUid } from './testing/uids.js';

export { initialJobState, emptyMachine, machineOf } from './jobState.js';
export { evolveJob, foldJob } from './jobStateEvolve.js';
export { plan, planMachine, targetsOf } from './plan.js';
export { isMachineAction } from './planAction.js';
export {
  countJob,
  dependentsToUpdate,
  holdsPassword,
  outcomeOf,
  summarize,
  taskLogonStoresPassword,
} from './planCounts.js';
export { createEngine } from './engine.js';
export {
  defaultParallel,
  defaultRetry,
  defaultStepTimeoutMs,
} from './engineDeps.js';
export { EngineError, isEngineError } from './engineError.js';
export { backoffDelay } from './engineStep.js';
export { isJobEvent } from './engineLoad.js';

export type { Uid, UidBrand } from './uid.js';
export type {
  AccountScope,
  DomainNames,
  Gateway,
  Inventory,
  InventoryRecord,
  Machine,
  Protocol,
  Trust,
  User,
} from './records.js';
export type {
  AppPoolDependent,
  AppPoolState,
  Dependent,
  DependentKind,
  DependentRef,
  HostFacts,
  IdentityType,
  ServiceDependent,
  ServiceState,
  StartMode,
  TaskDependent,
  TaskLogonType,
  TaskState,
} from './dependent.js';
export type { Failure } from './failure.js';
export type {
  AppPoolCredentialUpdated,
  AppPoolRecycled,
  DependentFailed,
  DependentsFound,
  JobCounts,
  JobEvent,
  JobFinished,
  JobOptions,
  JobOutcome,
  MachineFailed,
  MappingAdded,
  MappingEvent,
  MappingRemoved,
  MappingScope,
  MappingsDisabled,
  MappingsEnabled,
  PasswordChangeFailed,
  PasswordChanged,
  RotationScheduled,
  RotorEvent,
  ServiceCredentialUpdated,
  ServiceRestartSkipped,
  ServiceRestarted,
  Step,
  Target,
  TaskCredentialUpdated,
} from './events.js';
export type {
  AccountRotator,
  AppendResult,
  Clock,
  EventStore,
  ExpectedRevision,
  HostCallOptions,
  HostError,
  HostOperations,
  HostSnapshot,
  Ids,
  LogAttributes,
  Logger,
  NewEvent,
  RandomSource,
  ReadAllOptions,
  RecordedEvent,
  RemoteCommand,
  RemoteResult,
  RestartOptions,
  RestartOutcome,
  RunOptions,
  SecretStore,
  SecretStoreError,
  SecretVersion,
  StoreError,
  Transport,
  TransportError,
} from './ports.js';
export type { MemoryEventStoreOptions } from './memoryStore.js';
export type { DecodedEvent, EventDecodeFailed, Replayed } from './decode.js';
export type { SubmitError } from './submit.js';
export type { ActiveJob, GatewayState, Mapping } from './gatewayState.js';
export type {
  AddMapping,
  CommandMeta,
  DecideContext,
  Decision,
  DisableMapping,
  EnableMapping,
  GatewayCommand,
  RemoveMapping,
  ScheduleRotation,
  ScopeInput,
} from './decideTypes.js';
export type { DecideError, Warning } from './decideErrors.js';
export type { PasswordPolicy, PasswordPolicyInvalid } from './password.js';
export type { DecideOutcome } from './testing/decider.js';
export type {
  DependentProgress,
  JobEnd,
  JobSpec,
  JobState,
  MachineProgress,
  MachineSnapshot,
  PasswordProgress,
  RunningJob,
} from './jobState.js';
export type { Action, MachineAction } from './planAction.js';
export type { CountedMachine } from './planCounts.js';
export type { Engine } from './engine.js';
export type { EngineDeps } from './engineDeps.js';
export type { EngineFailure } from './engineError.js';
export type { RetryPolicy } from './engineStep.js';

// Issue 8: pre-flight, dry run, deferred restarts, retry, canary, discovery.
export {
  DependentsDiscoveredCodec,
  DiscoveryFailedCodec,
  JobReopenedCodec,
  PreflightFailedCodec,
  PreflightFailureCodec,
  PreflightPassedCodec,
  ServiceRestartHaltedCodec,
  AppPoolRecycleHaltedCodec,
} from './events.js';
export { restartsDue } from './plan.js';
export { decideReopen, describeReopenError } from './decideJob.js';
export {
  createRestartGate,
  defaultLogonFailureBudget,
  isLogonFailure,
} from './engineGate.js';
export { surveyTargets } from './engineSurvey.js';
export { previewRotation } from './preview.js';
export type {
  DependentsDiscovered,
  DiscoveryFailed,
  JobReopened,
  PreflightFailed,
  PreflightFailure,
  PreflightPassed,
  ServiceRestartHalted,
  AppPoolRecycleHalted,
} from './events.js';
export type { ReopenContext, ReopenError, ReopenJob } from './decideJob.js';
export type { RestartGate, RestartGatePolicy } from './engineGate.js';
export type { SurveyDeps, SurveyedMachine } from './engineSurvey.js';
export type {
  PreviewDeps,
  PreviewSpec,
  PreviewedMachine,
  RotationPreview,
} from './preview.js';
export { jobSummaryOf, readJobs } from './jobHistory.js';
export type { JobSummary } from './jobHistory.js';
export { decideDiscovery, impliedMappings } from './discovery.js';
export type {
  DiscoveredDependent,
  DiscoveryResult,
  RecordDiscovery,
} from './discovery.js';

// Issue 5: claims with a lease, and gateway process heartbeats.
export {
  GatewayEventCodec,
  GatewayHeartbeatCodec,
  GatewayProcessStoppedCodec,
  JobClaimReleasedCodec,
  JobClaimRenewedCodec,
  JobClaimedCodec,
  gatewayStream,
} from './events.js';
export type {
  GatewayEvent,
  GatewayHeartbeat,
  GatewayProcessStopped,
  JobClaimReleased,
  JobClaimRenewed,
  JobClaimed,
} from './events.js';
