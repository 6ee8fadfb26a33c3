// What the simulated hosts of a fleet hold, as the rotation properties
// look at it: every dependent, whether it runs as the rotated account, and
// the whole state for comparing two fleets.
import type { Dependent, DependentKind } from '@rotor/core';
import { rotatedUserKey, type Fleet, type SimHost } from '@rotor/testkit';
import type { Scenario } from './rotationScenario.js';

/** A dependent of a simulated host, as the properties look at it. */
export interface HostDependent {
  readonly hostKey: string;
  readonly host: SimHost;
  readonly machineUid: string;
  readonly kind: DependentKind;
  readonly name: string;
  readonly account: string;
  readonly password: string | undefined;
  /** Running (service) or started (pool); tasks are never "running". */
  readonly running: boolean;
  /** The logon type of a task, the identity type of a pool. */
  readonly detail: string;
}

/** Every service, task and pool of the fleet, with its host. */
export const dependentsOf = (fleet: Fleet): HostDependent[] =>
  [...fleet.hostByKey].flatMap(([hostKey, host]) => {
    const machineUid = fleet.machines.get(hostKey)?.uid as string;
    const base = { hostKey, host, machineUid };

    return [
      ...[...host.services.values()].map((s): HostDependent => ({
        ...base,
        kind: 'service',
        name: s.name,
        account: s.account,
        password: s.password,
        running: s.state === 'running',
        detail: s.startMode,
      })),
      ...[...host.tasks.values()].map((t): HostDependent => ({
        ...base,
        kind: 'task',
        name: t.path,
        account: t.userId ?? '',
        password: t.password,
        running: false,
        detail: t.logonType,
      })),
      ...[...host.appPools.values()].map((p): HostDependent => ({
        ...base,
        kind: 'iis',
        name: p.name,
        account: p.userName,
        password: p.password,
        running: p.state === 'started',
        detail: p.identityType,
      })),
    ];
  });

/**
 * Whether a written account name is the rotated account on its host: the
 * domain account itself for a domain user (not a local namesake), the
 * account on its own host for a local user.
 */
export const runsAsRotated = (
  prepared: { readonly scenario: Pick<Scenario, 'spec'> },
  d: Pick<HostDependent, 'host' | 'hostKey' | 'account'>,
): boolean => {
  const spec = prepared.scenario.spec.users.find(
    (u) => u.key === rotatedUserKey,
  );
  if (spec === undefined || d.account === '') {
    return false;
  }
  const resolved = d.host.canonicalAccount(d.account);
  const sameSam =
    'sam' in resolved && resolved.sam.toLowerCase() === spec.sam.toLowerCase();

  return spec.scope === 'domain'
    ? resolved.kind === 'domain' && sameSam
    : d.hostKey === spec.hostKey && resolved.kind === 'local' && sameSam;
};

/** Whether a dependent keeps a password the job must rewrite (issue 2). */
export const holdsItsPassword = (d: HostDependent): boolean =>
  d.kind === 'service' ||
  (d.kind === 'task' &&
    (d.detail === 'password' ||
      d.detail === 'interactive-token-or-password')) ||
  (d.kind === 'iis' && d.detail === 'specific-user');

/** The kinds mapped on each machine of a scenario. */
export const mappedKinds = (
  scenario: Scenario,
): ReadonlyMap<string, ReadonlyArray<DependentKind>> => {
  const kinds = new Map<string, DependentKind[]>();
  for (const m of scenario.mappings) {
    kinds.set(m.machineUid, [...(kinds.get(m.machineUid) ?? []), m.kind]);
  }

  return kinds;
};

/** Everything a host holds, as plain data, for comparing two fleets. */
export const fleetState = (fleet: Fleet): unknown => ({
  domain: fleet.domain?.accounts.list().map((a) => ({ ...a })) ?? 'no domain',
  hosts: [...fleet.hostByKey].map(([key, host]) => ({
    key,
    accounts: host.localAccounts.list().map((a) => ({ ...a })),
    services: [...host.services.values()].map((s) => ({ ...s })),
    tasks: [...host.tasks.values()].map((t) => ({ ...t })),
    pools: [...host.appPools.values()].map((p) => ({ ...p })),
    counters: dependentsOf(fleet)
      .filter((d) => d.hostKey === key)
      .map((d) => [d.kind, d.name, host.counters(d)]),
  })),
});

/** A dependent of an event, by machine and `kind name`. */
export const refOf = (
  machineUid: string,
  d: Pick<Dependent, 'kind' | 'name'>,
) => `${machineUid} ${d.kind} ${d.name.toLowerCase()}`;
