import { inChild } from './child.js';
import { full, intFromEnv, mb } from './env.js';
import type { FanoutSample } from './fanoutRun.js';
import { figure, report, type Figure } from './report.js';

// Fan-out: one user on N simulated machines, three dependents each, every
// remote step delayed by a real 20 ms timer, parallel bound 64. The job's
// wall time is compared with the ideal for that latency and bound; each
// size runs alone in a fresh process so its peak RSS is its own.
const machines = intFromEnv('ROTOR_BENCH_MACHINES', 1000);
const latencyMs = intFromEnv('ROTOR_BENCH_LATENCY_MS', 20);
const parallel = intFromEnv('ROTOR_BENCH_PARALLEL', 64);
const bigMachines = intFromEnv('ROTOR_BENCH_BIG_MACHINES', 10_000);

const sample = (n: number) =>
  inChild<FanoutSample>(
    'fanoutRun',
    [String(n), String(latencyMs), String(parallel)],
    ['--max-old-space-size=1024'],
  );

const base = await sample(machines);
const dependents = base.machines * 3;
const waves = Math.ceil(base.machines / parallel);
const ideal = waves * base.stepsPerMachine * latencyMs;
const idealWithPassword = ideal + base.passwordSteps * latencyMs;
const cpuPerDependentMs = base.cpuUs / 1000 / dependents;
const simPerDependentMs = base.simMs / dependents;
const figures: Figure[] = [
  figure('job wall time', base.wallMs, 'ms'),
  figure('remote steps per machine', base.stepsPerMachine, 'steps'),
  figure('ideal ceil(N/P) x steps x latency', ideal, 'ms'),
  figure('wall / ideal', base.wallMs / ideal, 'x', {
    target: '<= 1.15',
    met: (v) => v <= 1.15,
  }),
  figure(
    'wall / ideal counting the password change steps',
    base.wallMs / idealWithPassword,
    'x',
  ),
  figure('process CPU per dependent', cpuPerDependentMs, 'ms', {
    target: '< 0.2',
    met: (v) => v < 0.2,
  }),
  figure('  of which simulated hosts (approx.)', simPerDependentMs, 'ms'),
  figure(
    '  rest: engine, windows host, store, transport',
    cpuPerDependentMs - simPerDependentMs,
    'ms',
  ),
  figure('peak RSS', mb(base.peakRssBytes), 'MB'),
];
const notes = [
  `job status ${base.status}, ${base.events} events, ${base.remoteSteps} remote steps`,
  "CPU is process.cpuUsage() over the run (user + system, all threads): the engine, planner and folds, the in-memory event store, the Windows operations (scripts, stdin encoding, decoders), the simulated transport and hosts, timers and GC; nothing is subtracted. The simulated-host share is the wall time from each step's timer firing to its result, on the one JS thread.",
];
const skipped: string[] = [];

if (full()) {
  const big = await sample(bigMachines);
  const growth = big.wallMs / base.wallMs;
  const sizeRatio = big.machines / base.machines;
  figures.push(
    figure(`job wall time at ${big.machines} machines`, big.wallMs, 'ms'),
    figure(
      `wall / ideal at ${big.machines}`,
      big.wallMs /
        (Math.ceil(big.machines / parallel) * big.stepsPerMachine * latencyMs),
      'x',
    ),
    figure(
      `time growth ${base.machines} -> ${big.machines} (linear = ${sizeRatio})`,
      growth,
      'x',
      {
        target: `about ${sizeRatio} (linear)`,
        met: (v) => v <= sizeRatio * 1.15,
      },
    ),
    figure(
      `CPU per dependent at ${big.machines}`,
      big.cpuUs / 1000 / (big.machines * 3),
      'ms',
    ),
    figure(`peak RSS at ${big.machines} machines`, mb(big.peakRssBytes), 'MB', {
      target: '< 300 MB',
      met: (v) => v < 300,
    }),
  );
} else {
  skipped.push(
    `${bigMachines} machines: set ROTOR_BENCH_FULL=1 (about ${Math.ceil(
      ((bigMachines / parallel) * base.stepsPerMachine * latencyMs) / 1000,
    )} s and up to 1 GB)`,
  );
}

report({
  name: 'fanout',
  title: `Fan-out: one user on ${machines} simulated machines, 3 dependents each, ${latencyMs} ms per remote step, parallel ${parallel}`,
  params: { machines, latencyMs, parallel, full: full() },
  figures,
  skipped,
  notes,
});
