// One arbitrary per event codec, and the pieces they are built from. Kept
// in one file so that a new event shows up here beside its siblings.
import * as fc from 'fast-check';
import {
  AppPoolStateCodec,
  IdentityTypeCodec,
  ServiceStateCodec,
  StartModeCodec,
  TaskLogonTypeCodec,
  TaskStateCodec,
  allKinds,
} from '../dependent.js';
import type { Dependent, DependentKind, HostFacts } from '../dependent.js';
import type {
  JobCounts,
  MappingScope,
  RotorEvent,
  Step,
  Target,
} from '../events.js';
import type { Failure } from '../failure.js';
import { uidFromBytes } from '../uid.js';
import type { Uid } from '../uid.js';

const keysOf = <K extends string>(codec: {
  readonly keys: Record<K, unknown>;
}) => fc.constantFrom(...(Object.keys(codec.keys) as K[]));

/** Any {@link Uid}. @category testing */
export const uidArb: fc.Arbitrary<Uid> = fc
  .uint8Array({ minLength: 16, maxLength: 16 })
  .map(uidFromBytes);

/** An ISO-8601 timestamp between 2000 and 2100. @category testing */
export const timestampArb: fc.Arbitrary<string> = fc
  .date({
    min: new Date('2000-01-01T00:00:00.000Z'),
    max: new Date('2100-01-01T00:00:00.000Z'),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());

/** One of service, task, iis. @category testing */
export const kindArb: fc.Arbitrary<DependentKind> = fc.constantFrom(
  ...allKinds,
);

/** A non-empty set of kinds, in job order. @category testing */
export const kindsArb: fc.Arbitrary<DependentKind[]> = fc
  .subarray([...allKinds], { minLength: 1 })
  .map((ks) => allKinds.filter((k) => ks.includes(k)));

/** Any {@link Failure}. @category testing */
export const failureArb: fc.Arbitrary<Failure> = fc.record(
  {
    code: fc.string({ minLength: 1 }),
    message: fc.string(),
    transient: fc.boolean(),
    windowsCode: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  },
  { requiredKeys: ['code', 'message', 'transient'] },
);

const nameArb = fc.string({ minLength: 1, maxLength: 40 });

/** Any {@link Dependent}, of every kind. @category testing */
export const dependentArb: fc.Arbitrary<Dependent> = fc.oneof(
  fc.record({
    kind: fc.constant('service' as const),
    name: nameArb,
    displayName: fc.string(),
    state: keysOf(ServiceStateCodec),
    startMode: keysOf(StartModeCodec),
    account: fc.string(),
    dependentServices: fc.array(
      fc.record({ name: nameArb, state: keysOf(ServiceStateCodec) }),
      { maxLength: 3 },
    ),
  }),
  fc.record({
    kind: fc.constant('task' as const),
    name: nameArb.map((n) => `\\${n}`),
    account: fc.string(),
    logonType: keysOf(TaskLogonTypeCodec),
    state: keysOf(TaskStateCodec),
  }),
  fc.record({
    kind: fc.constant('iis' as const),
    name: nameArb,
    identityType: keysOf(IdentityTypeCodec),
    account: fc.string(),
    state: keysOf(AppPoolStateCodec),
  }),
);

/** Any {@link HostFacts}. @category testing */
export const hostFactsArb: fc.Arbitrary<HostFacts> = fc.record(
  {
    computerName: nameArb,
    iisInstalled: fc.boolean(),
    domain: fc.record({ netbios: nameArb, dns: nameArb }),
  },
  { requiredKeys: ['computerName', 'iisInstalled'] },
);

/** Any {@link Target}. @category testing */
export const targetArb: fc.Arbitrary<Target> = fc.record({
  machineUid: uidArb,
  kinds: kindsArb,
});

/** A machine or a user scope. @category testing */
export const mappingScopeArb: fc.Arbitrary<MappingScope> = fc.oneof(
  fc.record({ machineUid: uidArb }),
  fc.record({ userUid: uidArb }),
);

const stepArb: fc.Arbitrary<Step> = fc.constantFrom(
  'enumerate',
  'update',
  'restart',
  'recycle',
);

const countArb = fc.nat({ max: 10_000 });

const countsArb: fc.Arbitrary<JobCounts> = fc.record({
  machines: countArb,
  machinesFailed: countArb,
  dependents: countArb,
  updated: countArb,
  restarted: countArb,
  recycled: countArb,
  skipped: countArb,
  failed: countArb,
});

const versionArb = fc.integer({ min: 1, max: 1_000_000 });

const mappingData = fc.record({
  gatewayUid: uidArb,
  machineUid: uidArb,
  userUid: uidArb,
  kind: kindArb,
  by: fc.string(),
  at: timestampArb,
});

const scopeData = fc.record({
  gatewayUid: uidArb,
  scope: mappingScopeArb,
  by: fc.string(),
  at: timestampArb,
});

const onDependent = {
  jobId: uidArb,
  machineUid: uidArb,
  dependent: nameArb,
  at: timestampArb,
};

// The claim events' common fields (issue 5).
const claimBy = {
  jobId: uidArb,
  gatewayUid: uidArb,
  processId: fc.string({ minLength: 1 }),
};

const typed =
  <T extends RotorEvent['type']>(type: T) =>
  (data: Extract<RotorEvent, { type: T }>['data']) =>
    ({ type, data }) as Extract<RotorEvent, { type: T }>;

/**
 * One arbitrary per event type, keyed by the type. A test can check that
 * the keys cover every member of `RotorEventCodec`.
 *
 * @category testing
 */
export const eventArbitraries: {
  readonly [T in RotorEvent['type']]: fc.Arbitrary<
    Extract<RotorEvent, { type: T }>
  >;
} = {
  MappingAdded: mappingData.map(typed('MappingAdded')),
  MappingRemoved: mappingData.map(typed('MappingRemoved')),
  MappingsDisabled: scopeData.map(typed('MappingsDisabled')),
  MappingsEnabled: scopeData.map(typed('MappingsEnabled')),
  RotationScheduled: fc
    .record({
      jobId: uidArb,
      gatewayUid: uidArb,
      userUid: uidArb,
      targets: fc.array(targetArb, { maxLength: 4 }),
      options: fc.record(
        {
          external: fc.boolean(),
          restart: fc.boolean(),
          preflight: fc.boolean(),
        },
        { requiredKeys: ['external', 'restart'] },
      ),
      by: fc.string(),
      at: timestampArb,
    })
    .map(typed('RotationScheduled')),
  PasswordChanged: fc
    .record({
      jobId: uidArb,
      secretVersion: versionArb,
      by: fc.constantFrom('engine' as const, 'external' as const),
      at: timestampArb,
    })
    .map(typed('PasswordChanged')),
  PasswordChangeFailed: fc
    .record({ jobId: uidArb, error: failureArb, at: timestampArb })
    .map(typed('PasswordChangeFailed')),
  DependentsFound: fc
    .record({
      jobId: uidArb,
      machineUid: uidArb,
      host: hostFactsArb,
      dependents: fc.array(dependentArb, { maxLength: 4 }),
      at: timestampArb,
    })
    .map(typed('DependentsFound')),
  ServiceCredentialUpdated: fc
    .record({ ...onDependent, secretVersion: versionArb })
    .map(typed('ServiceCredentialUpdated')),
  TaskCredentialUpdated: fc
    .record({ ...onDependent, secretVersion: versionArb })
    .map(typed('TaskCredentialUpdated')),
  AppPoolCredentialUpdated: fc
    .record({ ...onDependent, secretVersion: versionArb })
    .map(typed('AppPoolCredentialUpdated')),
  ServiceRestarted: fc
    .record({
      ...onDependent,
      dependentsRestarted: fc.array(nameArb, { maxLength: 3 }),
    })
    .map(typed('ServiceRestarted')),
  AppPoolRecycled: fc.record(onDependent).map(typed('AppPoolRecycled')),
  ServiceRestartSkipped: fc
    .record({
      ...onDependent,
      reason: fc.constantFrom('not-running' as const, 'deferred' as const),
    })
    .map(typed('ServiceRestartSkipped')),
  DependentFailed: fc
    .record({
      ...onDependent,
      kind: kindArb,
      step: stepArb,
      error: failureArb,
    })
    .map(typed('DependentFailed')),
  MachineFailed: fc
    .record({
      jobId: uidArb,
      machineUid: uidArb,
      step: stepArb,
      error: failureArb,
      at: timestampArb,
    })
    .map(typed('MachineFailed')),
  JobFinished: fc
    .record({
      jobId: uidArb,
      status: fc.constantFrom(
        'finished' as const,
        'finished-with-errors' as const,
        'failed' as const,
      ),
      counts: countsArb,
      durationMs: fc.nat(),
      message: fc.string(),
      at: timestampArb,
    })
    .map(typed('JobFinished')),
  PreflightPassed: fc
    .record({
      jobId: uidArb,
      machines: fc.array(
        fc.record({ machineUid: uidArb, dependents: fc.nat({ max: 100 }) }),
        { maxLength: 4 },
      ),
      at: timestampArb,
    })
    .map(typed('PreflightPassed')),
  PreflightFailed: fc
    .record({
      jobId: uidArb,
      failures: fc.array(
        fc.record({ machineUid: uidArb, step: stepArb, error: failureArb }),
        { minLength: 1, maxLength: 4 },
      ),
      at: timestampArb,
    })
    .map(typed('PreflightFailed')),
  ServiceRestartHalted: fc
    .record({
      ...onDependent,
      failedLogons: fc.nat({ max: 10 }),
      budget: fc.integer({ min: 1, max: 10 }),
    })
    .map(typed('ServiceRestartHalted')),
  AppPoolRecycleHalted: fc
    .record({
      ...onDependent,
      failedLogons: fc.nat({ max: 10 }),
      budget: fc.integer({ min: 1, max: 10 }),
    })
    .map(typed('AppPoolRecycleHalted')),
  JobReopened: fc
    .record({
      jobId: uidArb,
      gatewayUid: uidArb,
      userUid: uidArb,
      purpose: fc.constantFrom('restart' as const, 'retry' as const),
      by: fc.string(),
      at: timestampArb,
    })
    .map(typed('JobReopened')),
  DependentsDiscovered: fc
    .record({
      gatewayUid: uidArb,
      machineUid: uidArb,
      dependents: fc.array(
        fc.record(
          {
            kind: kindArb,
            name: nameArb,
            account: fc.string(),
            userUid: uidArb,
          },
          { requiredKeys: ['kind', 'name', 'account'] },
        ),
        { maxLength: 4 },
      ),
      by: fc.string(),
      at: timestampArb,
    })
    .map(typed('DependentsDiscovered')),
  DiscoveryFailed: fc
    .record({
      gatewayUid: uidArb,
      machineUid: uidArb,
      error: failureArb,
      by: fc.string(),
      at: timestampArb,
    })
    .map(typed('DiscoveryFailed')),
  JobClaimed: fc
    .record({ ...claimBy, leaseUntil: timestampArb, at: timestampArb })
    .map(typed('JobClaimed')),
  JobClaimRenewed: fc
    .record({ ...claimBy, leaseUntil: timestampArb, at: timestampArb })
    .map(typed('JobClaimRenewed')),
  JobClaimReleased: fc
    .record({ ...claimBy, at: timestampArb })
    .map(typed('JobClaimReleased')),
  GatewayHeartbeat: fc
    .record({
      gatewayUid: uidArb,
      processId: fc.string({ minLength: 1 }),
      at: timestampArb,
      expiresAt: timestampArb,
    })
    .map(typed('GatewayHeartbeat')),
  GatewayProcessStopped: fc
    .record({
      gatewayUid: uidArb,
      processId: fc.string({ minLength: 1 }),
      at: timestampArb,
    })
    .map(typed('GatewayProcessStopped')),
};

/** Any event rotor writes. @category testing */
export const rotorEventArb: fc.Arbitrary<RotorEvent> = fc.oneof(
  ...Object.values<fc.Arbitrary<RotorEvent>>(eventArbitraries),
);
