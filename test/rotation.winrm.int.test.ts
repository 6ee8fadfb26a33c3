// Issue 4, "Into the engine": the first two rotation properties once more,
// with every host of each generated fleet behind its own WinRM server
// (HTTPS on 127.0.0.1, NTLMv2 logon, the certificate pinned by SHA-256), so
// the engine's operations cross the real WS-Management client, TLS and the
// cmd shell instead of the simulated transport. Few runs: each starts a
// server per host and logs on over NTLM.
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  inventoryOf,
  Secret,
  type EngineDeps,
  type InventoryRecord,
  type Machine,
} from '@rotor/core';
import {
  rotatedUserKey,
  startSimWinrmServer,
  type Fleet,
  type SimWinrmServer,
} from '@rotor/testkit';
import { createWinrmTransport } from '@rotor/transport-winrm';
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import {
  prepare,
  readStream,
  runJob,
  type Prepared,
} from './rotationHarness.js';
import {
  dependentsOf,
  holdsItsPassword,
  mappedKinds,
  refOf,
  runsAsRotated,
  type HostDependent,
} from './rotationHosts.js';
import { scenarioArb } from './rotationScenario.js';

const runs = 10;

// buildFleet gives its admin user this password on every host and domain.
const adminPassword = Secret.of('admin-password');

/** The fleet's hosts, each behind a WinRM server, and the machines to use. */
interface Served {
  readonly servers: ReadonlyMap<string, SimWinrmServer>;
  readonly records: ReadonlyArray<InventoryRecord>;
  readonly stop: () => Promise<void>;
}

/**
 * Starts a WinRM server in front of each simulated host of `fleet` and
 * gives the fleet's records with each machine pointed at its server: port,
 * `winrm`, the certificate's SHA-256 pinned in `trust`.
 */
const serveOverWinrm = async (fleet: Fleet): Promise<Served> => {
  const servers = new Map<string, SimWinrmServer>();
  const stop = async () => {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  };
  try {
    for (const [uid, host] of fleet.hosts) {
      servers.set(
        uid,
        await startSimWinrmServer({
          host,
          users: [{ username: fleet.admin.login, password: adminPassword }],
          computerName: host.computerName,
        }),
      );
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const records = fleet.records.map((r): InventoryRecord => {
    const server = r.type === 'machine' ? servers.get(r.uid) : undefined;
    if (r.type !== 'machine' || server === undefined) {
      return r;
    }
    const machine: Machine = {
      ...r,
      host: server.host,
      port: server.port,
      protocol: 'winrm',
      trust: { certificateFingerprint: server.certificateFingerprint },
    };

    return machine;
  });

  return { servers, records, stop };
};

/**
 * Runs the scenario's job with the engine's host and account rotator
 * built over the WinRM transport, then checks that the simulated transport
 * was never used and that every server saw commands only from machines the
 * job had to reach. `check` looks at the fleet afterwards.
 */
const overWinrm = async (
  p: Prepared,
  check: () => void,
): Promise<ReadonlyArray<string>> => {
  const served = await serveOverWinrm(p.fleet);
  const transport = createWinrmTransport({
    credentials: () =>
      Promise.resolve(
        E.right({ username: p.fleet.admin.login, password: adminPassword }),
      ),
    connectTimeoutMs: 5_000,
    idleCloseMs: 5_000,
  });
  try {
    const inventory = inventoryOf(served.records);
    const host = createWindowsHost(transport, { logger: p.logger });
    const over: Partial<EngineDeps> = {
      host,
      rotator: hostAccountRotator({ host, inventory }),
      inventory,
    };
    const { error } = await runJob(p.deps(over));
    expect(error).toBeUndefined();
    const events = await readStream(p.store);
    expect(events.at(-1)?.type).toBe('JobFinished');
    expect((events.at(-1)?.data as { status?: string }).status).toBe(
      'finished',
    );
    expect(p.transport.received()).toEqual([]);
    check();

    return [...served.servers]
      .filter(([, s]) => s.stats().commands > 0)
      .map(([uid]) => uid);
  } finally {
    await transport.close();
    await served.stop();
  }
};

/** Every account's password, by `domain\\sam` or `<host key>\\sam`. */
const accountsOf = (fleet: Fleet): Map<string, string> =>
  new Map([
    ...(fleet.domain?.accounts.list() ?? []).map((a): [string, string] => [
      `domain\\${a.sam.toLowerCase()}`,
      a.password,
    ]),
    ...[...fleet.hostByKey].flatMap(([hostKey, host]) =>
      host.localAccounts
        .list()
        .map((a): [string, string] => [
          `${hostKey}\\${a.sam.toLowerCase()}`,
          a.password,
        ]),
    ),
  ]);

/** The rotated account's key in {@link accountsOf}. */
const rotatedAccount = (p: Prepared): string => {
  const u = p.scenario.spec.users.find((x) => x.key === rotatedUserKey);

  return `${u?.scope === 'local' ? u.hostKey : 'domain'}\\${u?.sam.toLowerCase()}`;
};

/** Whether the job had to rewrite this dependent's password. */
const inScope = (p: Prepared, d: HostDependent): boolean =>
  (mappedKinds(p.scenario).get(d.machineUid) ?? []).includes(d.kind) &&
  runsAsRotated(p, d) &&
  holdsItsPassword(d);

const key = (d: HostDependent) => refOf(d.machineUid, d);

/** The services that a restart of `root` stops and starts on its host. */
const restartedWith = (root: HostDependent): Set<string> => {
  const found = new Set<string>();
  const visit = (name: string) => {
    for (const s of root.host.services.values()) {
      const lower = s.name.toLowerCase();
      if (
        s.dependsOn.some((x) => x.toLowerCase() === name) &&
        !found.has(lower)
      ) {
        found.add(lower);
        visit(lower);
      }
    }
  };
  visit(root.name.toLowerCase());

  return new Set([...found].map((n) => `${root.machineUid} service ${n}`));
};

describe('rotation over real WinRM to simulated hosts (issue 4)', () => {
  it('1. every dependent of the rotated account holds the new password; nothing else is touched', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ faults: 'none' }), async (scenario) => {
        const p = await prepare(scenario);
        const before = new Map(dependentsOf(p.fleet).map((d) => [key(d), d]));
        const accountsBefore = accountsOf(p.fleet);
        const reached = await overWinrm(p, () => {
          // The rotated account has the new password; every other its own.
          expect(accountsOf(p.fleet)).toEqual(
            new Map([
              ...accountsBefore,
              [rotatedAccount(p), scenario.password],
            ]),
          );
          for (const d of dependentsOf(p.fleet)) {
            const counters = d.host.counters(d);
            const expected = inScope(p, d)
              ? { password: scenario.password, credentialSets: 1 }
              : { password: before.get(key(d))?.password, credentialSets: 0 };
            expect({
              dependent: key(d),
              password: d.password,
              credentialSets: counters.credentialSets,
            }).toEqual({ dependent: key(d), ...expected });
            if (!inScope(p, d)) {
              expect(counters.recycles).toBe(0);
            }
          }
        });
        // Only mapped machines (and the one that changes the account's
        // password) were reached.
        const allowed = new Set([
          ...scenario.mappings.map((m) => m.machineUid as string),
          ...(p.user.passwordHostUid === undefined
            ? []
            : [p.user.passwordHostUid as string]),
        ]);
        for (const uid of reached) {
          expect(allowed.has(uid)).toBe(true);
        }
        expect(reached.length).toBeGreaterThan(0);
      }),
      { numRuns: runs },
    );
  });

  it('2. stopped services stay stopped; running ones are restarted once, their dependents run again', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb({ faults: 'none' }), async (scenario) => {
        const p = await prepare(scenario);
        const services = dependentsOf(p.fleet).filter(
          (d) => d.kind === 'service',
        );
        const restarted = services.filter((d) => inScope(p, d) && d.running);
        // A restart another restart on the host already does is not done
        // on its own.
        const roots = restarted.filter(
          (d) =>
            !restarted.some(
              (r) =>
                r !== d && r.host === d.host && restartedWith(r).has(key(d)),
            ),
        );
        await overWinrm(p, () => {
          const after = new Map(dependentsOf(p.fleet).map((d) => [key(d), d]));
          for (const d of services) {
            const c = d.host.counters(d);
            const cycles = roots.filter(
              (r) =>
                r === d || (r.host === d.host && restartedWith(r).has(key(d))),
            ).length;
            if (restarted.includes(d)) {
              expect(cycles).toBeGreaterThan(0);
            }
            if (!d.running) {
              expect({ service: key(d), running: false, starts: 0 }).toEqual({
                service: key(d),
                running: after.get(key(d))?.running,
                starts: c.starts,
              });
              continue;
            }
            expect({
              service: key(d),
              running: after.get(key(d))?.running,
              stops: c.stops,
              starts: c.starts,
            }).toEqual({
              service: key(d),
              running: true,
              stops: cycles,
              starts: cycles,
            });
          }
        });
      }),
      { numRuns: runs },
    );
  });
});
