// Generated and hand-written rotation scenarios: a fleet spec, the rotated
// user's mappings, the new password, a fault plan and the parallelism.
import fc from 'fast-check';
import { uidFromBytes, type DependentKind, type Uid } from '@rotor/core';
import {
  buildFleet,
  faultPlanArb,
  fleetSpecArb,
  kindsArb,
  mappingsArb,
  noFaults,
  passwordArb,
  rotatedUserKey,
  type FailingStep,
  type FaultPlan,
  type Fleet,
  type FleetSpec,
  type MappingSpec,
} from '@rotor/testkit';
import type { OperationName } from '@rotor/windows';
import { dependentsOf, runsAsRotated } from './rotationHosts.js';

/** When every event of the properties happens. */
export const at = '2026-12-03T12:00:00.000Z';

/** The one job of a scenario: a fixed id, so two runs compare. */
export const jobId: Uid = uidFromBytes(
  Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i),
);

/**
 * A mapping of a local user to a machine other than its own, where its
 * account does not exist. Through `decide` it is refused
 * (`LocalUserElsewhere`); `recordedBefore` ones are appended as a
 * `MappingAdded` directly, as a rotor without that check recorded them, and
 * the rotation must skip them with a warning.
 */
export interface StrayMapping {
  readonly mapping: MappingSpec;
  readonly recordedBefore: boolean;
}

/** One generated rotation: a fleet, its mappings, the new password, faults. */
export interface Scenario {
  readonly spec: FleetSpec;
  /** The mappings the job works on. */
  readonly mappings: ReadonlyArray<MappingSpec>;
  /** Attempts to map a local user elsewhere; none for a domain user. */
  readonly stray?: ReadonlyArray<StrayMapping>;
  readonly password: string;
  readonly faults: FaultPlan;
  readonly parallel: number;
}

const dependentNames = (fleet: Fleet): string[] => [
  ...new Set(
    [...fleet.hosts.values()].flatMap((h) => [
      ...[...h.services.values()].map((s) => s.name),
      ...[...h.tasks.values()].map((t) => t.path),
      ...[...h.appPools.values()].map((p) => p.name),
    ]),
  ),
];

/**
 * The rotated user's mappings. A local user is mapped only to its own
 * machine: `decide` refuses it any other (see {@link strayMappingsArb}).
 */
const ownMappingsArb = (
  spec: FleetSpec,
  fleet: Fleet,
): fc.Arbitrary<ReadonlyArray<MappingSpec>> => {
  const user = spec.users.find((u) => u.key === rotatedUserKey);
  const home =
    user?.hostKey === undefined ? undefined : fleet.machines.get(user.hostKey);
  const record = fleet.users.get(rotatedUserKey);
  if (user?.scope !== 'local' || home === undefined || record === undefined) {
    return mappingsArb(fleet, rotatedUserKey);
  }

  return kindsArb.map((kinds) =>
    kinds.map((kind) => ({
      gatewayUid: fleet.gateway.uid,
      machineUid: home.uid,
      userUid: record.uid,
      kind,
    })),
  );
};

/**
 * For a local user: attempts to map it to other machines of the fleet,
 * some recorded before `decide` refused them.
 */
const strayMappingsArb = (
  spec: FleetSpec,
  fleet: Fleet,
): fc.Arbitrary<ReadonlyArray<StrayMapping>> => {
  const user = spec.users.find((u) => u.key === rotatedUserKey);
  const record = fleet.users.get(rotatedUserKey);
  if (user?.scope !== 'local' || record === undefined) {
    return fc.constant([]);
  }
  const others = [...fleet.machines]
    .filter(([key]) => key !== user.hostKey)
    .map(([, m]) => m);

  return fc.subarray(others).chain((machines) =>
    fc.tuple(
      ...machines.map((m) =>
        fc.record({
          mapping: kindsArb.map((kinds): MappingSpec => ({
            gatewayUid: fleet.gateway.uid,
            machineUid: m.uid,
            userUid: record.uid,
            kind: kinds[0] ?? 'service',
          })),
          recordedBefore: fc.boolean(),
        }),
      ),
    ),
  );
};

const stepOf = {
  service: ['set-service-credential', 'restart-service'],
  task: ['set-task-credential'],
  iis: ['set-apppool-credential', 'recycle-apppool'],
} as const satisfies Record<DependentKind, ReadonlyArray<OperationName>>;

// A step that fails on a dependent of the rotated account, so that
// DependentFailed is common rather than a rare coincidence.
const dependentFaultArb = (
  spec: FleetSpec,
  fleet: Fleet,
): fc.Arbitrary<ReadonlyArray<FailingStep>> => {
  const targets = dependentsOf(fleet).filter((d) =>
    runsAsRotated({ scenario: { spec } }, d),
  );
  if (targets.length === 0) {
    return fc.constant([]);
  }

  return fc
    .record({
      d: fc.constantFrom(...targets),
      pick: fc.nat(),
      code: fc.constantFrom(5, 1053, 1069),
      times: fc.option(fc.constant(1), { nil: undefined }),
    })
    .map(({ d, pick, code, times }) => {
      const steps = stepOf[d.kind];

      return [
        {
          machineUid: d.machineUid,
          operation: steps[pick % steps.length] as OperationName,
          dependent: d.name,
          code,
          ...(times === undefined ? {} : { times }),
        },
      ];
    });
};

// Fault plans that leave the machine the password is changed through alone
// most of the time, so most faulty runs get past the password step.
const faultsArb = (
  spec: FleetSpec,
  fleet: Fleet,
  passwordHost: string | undefined,
): fc.Arbitrary<FaultPlan> => {
  const uids = [...fleet.machines.values()].map((m) => m.uid as string);
  const others = uids.filter((u) => u !== passwordHost);
  const plan = (on: ReadonlyArray<string>) =>
    fc
      .tuple(
        faultPlanArb(on, { dependents: dependentNames(fleet) }),
        dependentFaultArb(spec, fleet),
      )
      .map(([p, extra]) => ({
        ...p,
        failingSteps: [...(p.failingSteps ?? []), ...extra],
      }));

  return fc.oneof(
    { weight: 1, arbitrary: fc.constant(noFaults) },
    { weight: 1, arbitrary: plan(uids) },
    ...(others.length === 0 ? [] : [{ weight: 3, arbitrary: plan(others) }]),
  );
};

/**
 * Scenarios over small generated fleets (up to 3 hosts). `faults: 'none'`
 * never injects a fault; `'some'` injects a generated fault plan in about
 * four runs of five, and cuts off the password's machine in about one of
 * five.
 */
export const scenarioArb = (
  options: { readonly faults: 'none' | 'some'; readonly parallel?: number } = {
    faults: 'none',
  },
): fc.Arbitrary<Scenario> =>
  fleetSpecArb({ maxHosts: 3 }).chain((spec) => {
    // Uids are a function of the spec, so this fleet's uids are those of
    // every fleet later built from it.
    const fleet = buildFleet(spec);
    const user = spec.users.find((u) => u.key === rotatedUserKey);
    const passwordHostKey = user?.hostKey ?? user?.passwordHostKey;
    const passwordHost =
      passwordHostKey === undefined
        ? undefined
        : fleet.machines.get(passwordHostKey)?.uid;
    const faults =
      options.faults === 'none'
        ? fc.constant(noFaults)
        : faultsArb(spec, fleet, passwordHost);

    return fc.record({
      spec: fc.constant(spec),
      mappings: ownMappingsArb(spec, fleet),
      stray: strayMappingsArb(spec, fleet),
      // At least 8 characters, as any password policy asks: a shorter one
      // could equal a generated name by chance and fail property 4 falsely.
      password: passwordArb({ minLength: 8, maxLength: 24 }),
      faults,
      parallel:
        options.parallel === undefined
          ? fc.integer({ min: 1, max: 4 })
          : fc.constant(options.parallel),
    });
  });

/**
 * A hand-written scenario: `mapped` lists host keys and kinds; `stray`
 * lists attempts to map a local user elsewhere (see {@link StrayMapping}).
 */
export const scenarioOf = (
  spec: FleetSpec,
  mapped: ReadonlyArray<readonly [string, DependentKind]>,
  password: string,
  faults: FaultPlan = noFaults,
  stray: ReadonlyArray<
    readonly [string, DependentKind, { readonly recordedBefore: boolean }]
  > = [],
): Scenario => {
  const fleet = buildFleet(spec);
  const user = fleet.users.get(rotatedUserKey);
  if (user === undefined) {
    throw new Error('the fleet has no rotated user');
  }

  const mappingOf = (hostKey: string, kind: DependentKind): MappingSpec => {
    const machine = fleet.machines.get(hostKey);
    if (machine === undefined) {
      throw new Error(`no host ${hostKey}`);
    }

    return {
      gatewayUid: fleet.gateway.uid,
      machineUid: machine.uid,
      userUid: user.uid,
      kind,
    };
  };

  return {
    spec,
    mappings: mapped.map(([hostKey, kind]) => mappingOf(hostKey, kind)),
    stray: stray.map(([hostKey, kind, { recordedBefore }]) => ({
      mapping: mappingOf(hostKey, kind),
      recordedBefore,
    })),
    password,
    faults,
    parallel: 1,
  };
};
