import { defaultLogonFailureBudget } from '@rotor/core';
import { benchFleet, runRotation } from './benchFleet.js';
import { median } from './env.js';
import { peakRss } from './child.js';

/** What one fan-out run measured, printed as JSON for the parent. */
export interface FanoutSample {
  readonly machines: number;
  /** The failed-logon budget the engine ran with (2 is its default). */
  readonly budget: number;
  readonly wallMs: number;
  readonly cpuUs: number;
  readonly simMs: number;
  readonly events: number;
  readonly status: string;
  readonly stepsPerMachine: number;
  /** Steps per machine that go through the restart gate (median). */
  readonly gatedPerMachine: number;
  /** Restarts and recycles of the whole job (they go through the gate). */
  readonly gatedSteps: number;
  readonly passwordSteps: number;
  readonly remoteSteps: number;
  readonly peakRssBytes: number;
  readonly baselineRssBytes: number;
}

/** The operations the engine sends through its restart gate. */
const gated = new Set(['restart-service', 'recycle-apppool']);

// Arguments: machines, latency (ms), parallel, failed-logon budget (0 for
// the engine's default), lockout threshold (0 for none).
const [machinesArg, latencyArg, parallelArg, budgetArg, lockoutArg] =
  process.argv.slice(2);
const machines = Number(machinesArg);
const latencyMs = Number(latencyArg);
const parallel = Number(parallelArg);
const budget = Number(budgetArg ?? 0);
const lockout = Number(lockoutArg ?? 0);

const baselineRssBytes = peakRss();
const fleet = benchFleet(machines);
const run = await runRotation(fleet, {
  latencyMs,
  parallel,
  ...(budget > 0 ? { logonFailureBudget: budget } : {}),
  ...(lockout > 0 ? { lockoutThreshold: lockout } : {}),
});
const perMachine = new Map<string, number>();
const gatedPerMachine = new Map<string, number>();
let gatedSteps = 0;
for (const c of run.transport.received()) {
  perMachine.set(c.machineUid, (perMachine.get(c.machineUid) ?? 0) + 1);
  if (gated.has(c.operation)) {
    gatedSteps++;
    gatedPerMachine.set(
      c.machineUid,
      (gatedPerMachine.get(c.machineUid) ?? 0) + 1,
    );
  }
}
const stepsPerMachine = median([...perMachine.values()]);
const passwordHost = fleet.machines.get('h0')?.uid ?? '';
const sample: FanoutSample = {
  machines,
  budget: budget > 0 ? budget : defaultLogonFailureBudget,
  wallMs: run.wallMs,
  cpuUs: run.cpuUs,
  simMs: run.simMs,
  events: run.events,
  status: run.status,
  stepsPerMachine,
  gatedPerMachine: median([...gatedPerMachine.values()]),
  gatedSteps,
  passwordSteps: (perMachine.get(passwordHost) ?? 0) - stepsPerMachine,
  remoteSteps: run.transport.received().length,
  peakRssBytes: peakRss(),
  baselineRssBytes,
};
console.log(JSON.stringify(sample));
