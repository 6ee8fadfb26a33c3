// Longer than most files: one generator for a whole fleet reads best whole.
import fc from 'fast-check';
import type { StartMode, TaskLogonType } from '@rotor/core';
import type { FleetHostSpec, FleetSpec } from '../sim/fleet.js';
import type {
  SimAppPoolSpec,
  SimServiceSpec,
  SimTaskSpec,
} from '../sim/simTypes.js';
import {
  type AccountNaming,
  builtinAccountArb,
  gmsaAccountArb,
  randomCaseArb,
  samArb,
  virtualAccountArb,
  writtenFormArb,
} from './accounts.js';
import { passwordArb } from './passwords.js';

/** The user key of the rotated account in a generated fleet. @category testing */
export const rotatedUserKey = 'rotated';

/** The domain of generated fleets. @category testing */
export const generatedDomain = {
  netbios: 'CONTOSO',
  dns: 'contoso.com',
  upnSuffixes: ['contoso.example'],
} as const;

/** Limits of {@link fleetSpecArb}. @category testing */
export interface FleetArbOptions {
  readonly maxHosts?: number;
  readonly maxServices?: number;
  readonly maxTasks?: number;
  readonly maxPools?: number;
  /** The rotated account's scope; either when absent. */
  readonly scope?: 'domain' | 'local';
  /** The domain's lockout threshold (default 0: never locks). */
  readonly lockoutThreshold?: number;
}

/** An account a dependent runs as, and the password stored with it. */
interface Runner {
  readonly account: string;
  readonly password: string | undefined;
  readonly named: boolean;
}

interface Context {
  readonly sam: string;
  readonly scope: 'domain' | 'local';
  readonly password: string;
  readonly otherPassword: string;
  readonly twinPassword: string;
}

const naming = (ctx: Context, computerName: string): AccountNaming => ({
  sam: ctx.sam,
  scope: ctx.scope,
  computerName,
  ...generatedDomain,
});

/**
 * Who a dependent on host `index` runs as: the rotated account in any
 * written form (where it exists), another domain account, a same-named
 * twin that is a different account (local for a domain account, domain
 * or another host's local for a local one), a built-in, virtual or
 * managed account.
 */
const runnerArb = (ctx: Context, index: number): fc.Arbitrary<Runner> => {
  const computerName = hostName(index);
  const hasRotated = ctx.scope === 'domain' || index === 0;
  const named = (account: fc.Arbitrary<string>, password: string) =>
    account.map((a) => ({ account: a, password, named: true }));
  const passwordless = (account: fc.Arbitrary<string>) =>
    account.map((a) => ({ account: a, password: undefined, named: false }));
  const twinForms =
    ctx.scope === 'domain' || index > 0
      ? [`.\\${ctx.sam}`, `${computerName}\\${ctx.sam}`]
      : [`${generatedDomain.netbios}\\${ctx.sam}`];

  return fc.oneof(
    ...(hasRotated
      ? [
          {
            weight: 5,
            arbitrary: named(
              writtenFormArb(naming(ctx, computerName)),
              ctx.password,
            ),
          },
        ]
      : []),
    {
      weight: 2,
      arbitrary: named(
        randomCaseArb(`${generatedDomain.netbios}\\svc-other`),
        ctx.otherPassword,
      ),
    },
    {
      weight: 2,
      arbitrary: named(
        fc.constantFrom(...twinForms).chain(randomCaseArb),
        ctx.twinPassword,
      ),
    },
    { weight: 1, arbitrary: passwordless(builtinAccountArb) },
    { weight: 1, arbitrary: passwordless(virtualAccountArb) },
    {
      weight: 1,
      arbitrary: passwordless(gmsaAccountArb(generatedDomain.netbios)),
    },
  );
};

const hostName = (index: number): string =>
  `HOST${String(index + 1).padStart(2, '0')}`;

const startModes: ReadonlyArray<StartMode> = ['auto', 'delayed-auto', 'manual'];

const servicesArb = (ctx: Context, index: number, max: number) =>
  fc
    .array(
      fc.record({
        runner: runnerArb(ctx, index),
        running: fc.boolean(),
        startMode: fc.constantFrom(...startModes, 'disabled' as const),
        dependsOn: fc.array(fc.boolean(), { minLength: max, maxLength: max }),
      }),
      { maxLength: max },
    )
    .map((drafts) => {
      const specs: SimServiceSpec[] = [];
      drafts.forEach((d, i) => {
        // A disabled service is stopped, and a running one's dependencies
        // all run, as on a real host.
        const running = d.running && d.startMode !== 'disabled';
        const dependsOn = specs
          .filter((_, j) => d.dependsOn[j] === true)
          .filter((dep) => !running || dep.state === 'running')
          .map((dep) => dep.name);
        specs.push({
          name: `Svc${i}`,
          displayName: `Service ${i} on ${hostName(index)}`,
          state: running ? 'running' : 'stopped',
          startMode: d.startMode,
          account: d.runner.account,
          ...(d.runner.password === undefined
            ? {}
            : { password: d.runner.password }),
          dependsOn,
        });
      });

      return specs;
    });

const passwordTypes = new Set<TaskLogonType>([
  'password',
  'interactive-token-or-password',
]);

const tasksArb = (ctx: Context, index: number, max: number) =>
  fc
    .array(
      fc.record({
        runner: runnerArb(ctx, index),
        logonType: fc.constantFrom<TaskLogonType>(
          'password',
          'password',
          'interactive-token-or-password',
          's4u',
          'interactive-token',
          'group',
          'service-account',
        ),
        folder: fc.constantFrom('\\', '\\Rotor\\', '\\Rotor\\Nightly\\'),
      }),
      { maxLength: max },
    )
    .map((drafts) =>
      drafts.map((d, i): SimTaskSpec => {
        const logonType: TaskLogonType =
          !d.runner.named && d.logonType !== 'group'
            ? 'service-account'
            : d.logonType;

        return {
          path: `${d.folder}Task${i}`,
          userId: logonType === 'group' ? null : d.runner.account,
          logonType,
          ...(passwordTypes.has(logonType) && d.runner.password !== undefined
            ? { password: d.runner.password }
            : {}),
        };
      }),
    );

const poolsArb = (ctx: Context, index: number, max: number) =>
  fc
    .array(
      fc.record({
        runner: runnerArb(ctx, index),
        specific: fc.boolean(),
        other: fc.constantFrom(
          'application-pool-identity' as const,
          'network-service' as const,
          'local-system' as const,
        ),
        started: fc.boolean(),
      }),
      { maxLength: max },
    )
    .map((drafts) =>
      drafts.map((d, i): SimAppPoolSpec => {
        const specific = d.specific && d.runner.named;

        return {
          name: `Pool${i}`,
          identityType: specific ? 'specific-user' : d.other,
          userName: specific ? d.runner.account : '',
          ...(specific && d.runner.password !== undefined
            ? { password: d.runner.password }
            : {}),
          state: d.started ? 'started' : 'stopped',
        };
      }),
    );

const hostArb = (
  ctx: Context,
  index: number,
  o: Required<Omit<FleetArbOptions, 'scope' | 'lockoutThreshold'>>,
): fc.Arbitrary<FleetHostSpec> =>
  fc
    .record({
      services: servicesArb(ctx, index, o.maxServices),
      tasks: tasksArb(ctx, index, o.maxTasks),
      iis: fc.boolean(),
      pools: poolsArb(ctx, index, o.maxPools),
      protocol: fc.constantFrom('winrm' as const, 'ssh' as const),
    })
    .map((h) => ({
      key: `h${index}`,
      computerName: hostName(index),
      protocol: h.protocol,
      iisInstalled: h.iis,
      services: h.services,
      tasks: h.tasks,
      appPools: h.iis ? h.pools : [],
      localAccounts:
        ctx.scope === 'domain' || index > 0
          ? [{ sam: ctx.sam, password: ctx.twinPassword }]
          : [],
    }));

/**
 * A fleet spec for {@link buildFleet}: the domain CONTOSO, 1 to
 * `maxHosts` hosts (HOST01…), and the rotated account (user key
 * {@link rotatedUserKey}, domain or local to HOST01) among others. Its
 * services, tasks and pools run as the rotated account in every written
 * form and random case, or as another account, a same-named account that
 * is not it, a built-in, virtual or managed account. Every stored password
 * is right at the start; a running service's dependencies are running.
 *
 * @category testing
 */
export const fleetSpecArb = (
  options: FleetArbOptions = {},
): fc.Arbitrary<FleetSpec> => {
  const limits = {
    maxHosts: options.maxHosts ?? 4,
    maxServices: options.maxServices ?? 6,
    maxTasks: options.maxTasks ?? 3,
    maxPools: options.maxPools ?? 3,
  };
  const reserved = new Set([
    'svc-other',
    'rotor-admin',
    'system',
    'localsystem',
    'localservice',
    'networkservice',
  ]);

  return fc
    .record({
      sam: samArb.filter((s) => !reserved.has(s)),
      scope:
        options.scope === undefined
          ? fc.constantFrom('domain' as const, 'local' as const)
          : fc.constant(options.scope),
      // Stored passwords of at least 8 characters, as a password policy
      // asks: a shorter one can equal a generated name by chance, which
      // would make "no event holds the password" fail for no real leak.
      password: passwordArb({ minLength: 8 }),
      otherPassword: passwordArb({ minLength: 8 }),
      twinPassword: passwordArb({ minLength: 8 }),
      hostCount: fc.integer({ min: 1, max: limits.maxHosts }),
    })
    .chain((ctx) =>
      fc
        .tuple(
          ...Array.from({ length: ctx.hostCount }, (_, i) =>
            hostArb(ctx, i, limits),
          ),
        )
        .map((hosts): FleetSpec => ({
          domain: {
            ...generatedDomain,
            upnSuffixes: [...generatedDomain.upnSuffixes],
            managedAccounts: ['gmsa-app$', 'gmsa-sql$', 'svc-web$'],
            lockoutThreshold: options.lockoutThreshold ?? 0,
            accounts: [
              { sam: 'svc-other', password: ctx.otherPassword },
              ...(ctx.scope === 'local'
                ? [{ sam: ctx.sam, password: ctx.twinPassword }]
                : []),
            ],
          },
          users: [
            {
              key: rotatedUserKey,
              sam: ctx.sam,
              password: ctx.password,
              scope: ctx.scope,
              ...(ctx.scope === 'local'
                ? { hostKey: 'h0' }
                : { passwordHostKey: 'h0' }),
            },
          ],
          hosts,
        })),
    );
};
