import { inChild } from './child.js';
import { full, intFromEnv, mb } from './env.js';
import type { FanoutSample } from './fanoutRun.js';
import { figure, report, type Figure } from './report.js';

// Fan-out: one user on N simulated machines, three dependents each, every
// remote step delayed by a real 20 ms timer, parallel bound 64. Each run
// goes alone in a fresh process so its peak RSS is its own.
//
// The engine sends every service restart and pool recycle of a job through
// one restart gate (core's engineGate.ts): the first alone (the canary),
// then never more at once than the failed-logon budget (2 by default). So
// the job is run twice:
//  (a) gate at its default: the restarts are serialised two at a time, and
//      the ideal must count that;
//  (b) budget = parallel (lockout threshold above it): the gate no longer
//      binds beyond the canary, and the issue's ideal ceil(N/P) x steps x
//      latency applies.
const machines = intFromEnv('ROTOR_BENCH_MACHINES', 1000);
const latencyMs = intFromEnv('ROTOR_BENCH_LATENCY_MS', 20);
const parallel = intFromEnv('ROTOR_BENCH_PARALLEL', 64);
const bigMachines = intFromEnv('ROTOR_BENCH_BIG_MACHINES', 10_000);
const openBudget = parallel;
const openLockout = parallel + 1;

const sample = (n: number, budget: number, lockout: number) =>
  inChild<FanoutSample>(
    'fanoutRun',
    [
      String(n),
      String(latencyMs),
      String(parallel),
      String(budget),
      String(lockout),
    ],
    ['--max-old-space-size=1024'],
  );

/** The issue's ideal: ceil(N/P) waves of one machine's steps. */
const issueIdeal = (s: FanoutSample): number =>
  Math.ceil(s.machines / parallel) * s.stepsPerMachine * latencyMs;

/**
 * The ideal with the gate: the first restart waits for the password change
 * and the first machine's updates, goes alone, and the job's other
 * restarts and recycles follow `budget` at a time. The larger of that and
 * the issue's ideal.
 */
const gatedIdeal = (s: FanoutSample): number =>
  Math.max(
    issueIdeal(s),
    (s.passwordSteps +
      (s.stepsPerMachine - s.gatedPerMachine) +
      1 +
      Math.ceil((s.gatedSteps - 1) / s.budget)) *
      latencyMs,
  );

const perDependentMs = (s: FanoutSample): number =>
  s.cpuUs / 1000 / (s.machines * 3);

const gatedRun = await sample(machines, 0, 0);
const openRun = await sample(machines, openBudget, openLockout);

const gIdeal = gatedIdeal(gatedRun);
const oIdeal = issueIdeal(openRun);
const oIdealPlus = oIdeal + (openRun.passwordSteps + 1) * latencyMs;
const figures: Figure[] = [
  figure('remote steps per machine', openRun.stepsPerMachine, 'steps'),
  figure(
    '  of which through the restart gate',
    openRun.gatedPerMachine,
    'steps',
  ),
  figure(
    'password change steps (before any machine)',
    openRun.passwordSteps,
    'steps',
  ),
  // (a) the engine as shipped
  figure(
    `(a) gate at default (budget ${gatedRun.budget}): job wall time`,
    gatedRun.wallMs,
    'ms',
  ),
  figure(
    `(a) ideal with the gate: (${gatedRun.passwordSteps} + ${
      gatedRun.stepsPerMachine - gatedRun.gatedPerMachine
    } + 1 + ceil(${gatedRun.gatedSteps - 1}/${gatedRun.budget})) x ${latencyMs} ms`,
    gIdeal,
    'ms',
  ),
  figure('(a) wall / ideal with the gate', gatedRun.wallMs / gIdeal, 'x', {
    target: '<= 1.15',
    met: (v) => v <= 1.15,
  }),
  figure(
    '(a) wall / issue ideal (not reachable with the gate)',
    gatedRun.wallMs / issueIdeal(gatedRun),
    'x',
  ),
  figure('(a) process CPU per dependent', perDependentMs(gatedRun), 'ms', {
    target: '< 0.2',
    met: (v) => v < 0.2,
  }),
  figure('(a) peak RSS', mb(gatedRun.peakRssBytes), 'MB'),
  // (b) a budget that does not bind
  figure(
    `(b) budget ${openBudget} (lockout ${openLockout}): job wall time`,
    openRun.wallMs,
    'ms',
  ),
  figure('(b) issue ideal ceil(N/P) x steps x latency', oIdeal, 'ms'),
  figure('(b) wall / issue ideal', openRun.wallMs / oIdeal, 'x', {
    target: '<= 1.15',
    met: (v) => v <= 1.15,
  }),
  figure(
    '(b) wall / ideal counting the password steps and the canary',
    openRun.wallMs / oIdealPlus,
    'x',
  ),
  figure('(b) process CPU per dependent', perDependentMs(openRun), 'ms', {
    target: '< 0.2',
    met: (v) => v < 0.2,
  }),
  figure(
    '(b)   of which simulated hosts (approx.)',
    openRun.simMs / (openRun.machines * 3),
    'ms',
  ),
  figure(
    '(b)   rest: engine, windows host, store, sim transport',
    perDependentMs(openRun) - openRun.simMs / (openRun.machines * 3),
    'ms',
  ),
  figure('(b) CPU / wall', openRun.cpuUs / 1000 / openRun.wallMs, 'x'),
  figure('(b) peak RSS', mb(openRun.peakRssBytes), 'MB'),
];
const notes = [
  `(a) status ${gatedRun.status}, ${gatedRun.events} events, ${gatedRun.remoteSteps} remote steps, ${gatedRun.gatedSteps} through the gate`,
  `(b) status ${openRun.status}, ${openRun.events} events, ${openRun.remoteSteps} remote steps`,
  `The restart gate lets the canary go alone and then at most the failed-logon budget (default ${gatedRun.budget}) restarts or recycles at once across the whole job, so with the default the job's ${gatedRun.gatedSteps} restarts and recycles alone take about ${gatedRun.gatedSteps}/${gatedRun.budget} x ${latencyMs} ms; the issue's ideal assumes no such bound, and (b) measures against it with a budget the gate never reaches (at most ${parallel} machines are in flight, each with one step at a time).`,
  'CPU is process.cpuUsage() over the run (user + system, all threads): the engine, planner and folds, the in-memory event store, the Windows layer (scripts, stdin encoding, decoders), the simulated transport and hosts, timers and GC; nothing is subtracted. The simulated-host share is the wall time from each step timer firing to its result, on the one JS thread.',
];
const skipped: string[] = [];

if (full()) {
  const big = await sample(bigMachines, openBudget, openLockout);
  const sizeRatio = big.machines / openRun.machines;
  const idealRatio = issueIdeal(big) / oIdeal;
  figures.push(
    figure(`(b) job wall time at ${big.machines} machines`, big.wallMs, 'ms'),
    figure(
      `(b) wall / issue ideal at ${big.machines}`,
      big.wallMs / issueIdeal(big),
      'x',
    ),
    figure(
      `(b) wall growth ${openRun.machines} -> ${big.machines} (ideal's = ${idealRatio.toFixed(2)})`,
      big.wallMs / openRun.wallMs,
      'x',
      {
        target: `about ${idealRatio.toFixed(2)} (linear)`,
        met: (v) => v <= idealRatio * 1.15,
      },
    ),
    figure(
      `(b) CPU growth ${openRun.machines} -> ${big.machines} (linear = ${sizeRatio})`,
      big.cpuUs / openRun.cpuUs,
      'x',
      {
        target: `about ${sizeRatio} (linear)`,
        met: (v) => v <= sizeRatio * 1.15,
      },
    ),
    figure(
      `(b) CPU per dependent at ${big.machines}`,
      perDependentMs(big),
      'ms',
    ),
    figure(
      `(b) peak RSS at ${big.machines} machines`,
      mb(big.peakRssBytes),
      'MB',
      { target: '< 300 MB', met: (v) => v < 300 },
    ),
  );
  notes.push(
    `${big.machines} machines: status ${big.status}, ${big.events} events; run with budget ${openBudget} (with the default gate it would take at least ${Math.round(
      (((big.machines * openRun.gatedPerMachine) / gatedRun.budget) *
        latencyMs) /
        1000,
    )} s by construction)`,
  );
} else {
  skipped.push(
    `${bigMachines} machines: set ROTOR_BENCH_FULL=1 (ideal about ${Math.ceil(
      ((bigMachines / parallel) * openRun.stepsPerMachine * latencyMs) / 1000,
    )} s, up to 1 GB)`,
  );
}

report({
  name: 'fanout',
  title: `Fan-out: one user on ${machines} simulated machines, 3 dependents each, ${latencyMs} ms per remote step, parallel ${parallel}`,
  params: {
    machines,
    latencyMs,
    parallel,
    openBudget,
    openLockout,
    full: full(),
  },
  figures,
  skipped,
  notes,
});
