import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RawEnumerateResultCodec, asciiJson, readStdout } from '@rotor/windows';
import { executeOnSimHost, simScript } from '../sim/executeOnSimHost.js';
import { buildFleet } from '../sim/fleet.js';
import type { SimHost } from '../sim/simHost.js';
import { ps51Quirks } from '../sim/simTypes.js';
import { writtenFormsOf } from './accounts.js';
import { fleetSpecArb, generatedDomain, rotatedUserKey } from './fleets.js';
import { mappingsArb, targetsOf } from './mappings.js';
import { passwordArb } from './passwords.js';

const run = (
  host: SimHost,
  op: Parameters<typeof simScript>[0],
  input: unknown,
) => executeOnSimHost(host, { script: simScript(op), input: asciiJson(input) });

const rotatedOf = (fleet: ReturnType<typeof buildFleet>) => {
  const user = fleet.users.get(rotatedUserKey);
  if (user === undefined) {
    throw new Error('no rotated user');
  }

  return user;
};

describe('fleetSpecArb', () => {
  it('builds fleets whose hosts enumerate to decodable ASCII output', () => {
    fc.assert(
      fc.property(fleetSpecArb(), fc.boolean(), (spec, quirky) => {
        const fleet = buildFleet(spec);
        for (const host of fleet.hosts.values()) {
          host.quirks = quirky ? ps51Quirks : {};
          const out = run(host, 'enumerate-dependents', {
            kinds: ['service', 'task', 'iis'],
          });
          expect(out.exitCode).toBe(0);
          // Marker lines and the envelope, each printable ASCII + CRLF.
          expect(out.stdout).toMatch(/^([\x20-\x7e]*\r\n)+$/);
          const envelope = readStdout(out.stdout).document as {
            result: unknown;
          };
          expect(RawEnumerateResultCodec.is(envelope.result)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('writes the rotated account in forms that resolve to its login', () => {
    fc.assert(
      fc.property(fleetSpecArb(), (spec) => {
        const fleet = buildFleet(spec);
        const user = rotatedOf(fleet);
        const home = fleet.hostByKey.get('h0') as SimHost;
        const forms = writtenFormsOf({
          sam: user.title,
          scope: user.scope,
          computerName: home.computerName,
          ...generatedDomain,
        });
        for (const form of forms) {
          expect(home.sameAccount(form, user.login)).toBe(true);
        }
        const twin =
          user.scope === 'domain'
            ? `.\\${user.title}`
            : `CONTOSO\\${user.title}`;
        expect(home.sameAccount(twin, user.login)).toBe(false);
      }),
      { numRuns: 100 },
    );
  });

  it('lets a by-the-book rotation succeed on the simulated hosts', () => {
    fc.assert(
      fc.property(fleetSpecArb(), passwordArb(), (spec, next) => {
        const fleet = buildFleet(spec);
        const user = rotatedOf(fleet);
        const home = fleet.hostByKey.get('h0') as SimHost;
        const change =
          user.scope === 'domain'
            ? run(home, 'change-domain-password', {
                account: user.title,
                password: next,
              })
            : run(home, 'change-local-password', {
                account: user.title,
                password: next,
              });
        expect(change.exitCode).toBe(0);
        for (const [key, host] of fleet.hostByKey) {
          const mine = (account: string | null) =>
            account !== null &&
            (user.scope === 'domain' || key === 'h0') &&
            host.sameAccount(account, user.login);
          const wasRunning = new Map(
            [...host.services.values()].map((s) => [s.name, s.state]),
          );
          const services = [...host.services.values()].filter((s) =>
            mine(s.account),
          );
          for (const s of services) {
            expect(
              run(host, 'set-service-credential', {
                name: s.name,
                account: s.account,
                password: next,
              }).exitCode,
            ).toBe(0);
          }
          for (const t of host.tasks.values()) {
            if (
              mine(t.userId) &&
              (t.logonType === 'password' ||
                t.logonType === 'interactive-token-or-password')
            ) {
              expect(
                run(host, 'set-task-credential', {
                  path: t.path,
                  account: t.userId,
                  password: next,
                }).exitCode,
              ).toBe(0);
            }
          }
          for (const p of host.appPools.values()) {
            if (p.identityType === 'specific-user' && mine(p.userName)) {
              expect(
                run(host, 'set-apppool-credential', {
                  name: p.name,
                  account: p.userName,
                  password: next,
                }).exitCode,
              ).toBe(0);
              expect(
                run(host, 'recycle-apppool', { name: p.name }).exitCode,
              ).toBe(0);
            }
          }
          for (const s of services) {
            if (host.service(s.name)?.state === 'running') {
              const out = run(host, 'restart-service', {
                name: s.name,
                timeoutSeconds: 5,
              });
              expect(out.exitCode).toBe(0);
            }
          }
          for (const s of host.services.values()) {
            expect(s.state).toBe(wasRunning.get(s.name));
            if (wasRunning.get(s.name) === 'stopped') {
              expect(
                host.counters({ kind: 'service', name: s.name }).starts,
              ).toBe(0);
            }
          }
          expect(host.journal().every((j) => j.ok)).toBe(true);
        }
        const account =
          user.scope === 'domain'
            ? fleet.domain?.accounts.get(user.title)
            : home.localAccounts.get(user.title);
        expect(account?.badLogons).toBe(0);
        expect(account?.password).toBe(next);
      }),
      { numRuns: 100 },
    );
  });
});

describe('mappingsArb', () => {
  it('maps the rotated user to some machines with some kinds', () => {
    const fleetArb = fleetSpecArb({
      maxServices: 1,
      maxTasks: 0,
      maxPools: 0,
    }).map(buildFleet);
    fc.assert(
      fc.property(
        fleetArb.chain((fleet) =>
          mappingsArb(fleet, rotatedUserKey).map((m) => ({ fleet, m })),
        ),
        ({ fleet, m }) => {
          const user = rotatedOf(fleet);
          expect(m.length).toBeGreaterThan(0);
          expect(
            m.every(
              (x) => x.userUid === user.uid && fleet.hosts.has(x.machineUid),
            ),
          ).toBe(true);
          const targets = targetsOf(m);
          expect(new Set(targets.map((t) => t.machineUid)).size).toBe(
            targets.length,
          );
          expect(targets.every((t) => t.kinds.length > 0)).toBe(true);
          expect(targets.flatMap((t) => t.kinds).length).toBe(m.length);
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('generated fleets start consistent', () => {
  it('every running service restarts with the password it has', () => {
    fc.assert(
      fc.property(fleetSpecArb(), (spec) => {
        const fleet = buildFleet(spec);
        for (const host of fleet.hosts.values()) {
          for (const s of host.services.values()) {
            const before = s.state;
            const out = run(host, 'restart-service', {
              name: s.name,
              timeoutSeconds: 5,
            });
            expect(out.exitCode).toBe(before === 'running' ? 0 : 1);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
