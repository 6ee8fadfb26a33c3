import { benchFleet, runRotation } from './benchFleet.js';
import { median } from './env.js';
import { peakRss } from './child.js';

/** What one fan-out run measured, printed as JSON for the parent. */
export interface FanoutSample {
  readonly machines: number;
  readonly wallMs: number;
  readonly cpuUs: number;
  readonly simMs: number;
  readonly events: number;
  readonly status: string;
  readonly stepsPerMachine: number;
  readonly passwordSteps: number;
  readonly remoteSteps: number;
  readonly peakRssBytes: number;
  readonly baselineRssBytes: number;
}

const [machinesArg, latencyArg, parallelArg] = process.argv.slice(2);
const machines = Number(machinesArg);
const latencyMs = Number(latencyArg);
const parallel = Number(parallelArg);

const baselineRssBytes = peakRss();
const fleet = benchFleet(machines);
const run = await runRotation(fleet, { latencyMs, parallel });
const perMachine = new Map<string, number>();
for (const c of run.transport.received()) {
  perMachine.set(c.machineUid, (perMachine.get(c.machineUid) ?? 0) + 1);
}
const stepsPerMachine = median([...perMachine.values()]);
const passwordHost = fleet.machines.get('h0')?.uid ?? '';
const sample: FanoutSample = {
  machines,
  wallMs: run.wallMs,
  cpuUs: run.cpuUs,
  simMs: run.simMs,
  events: run.events,
  status: run.status,
  stepsPerMachine,
  passwordSteps: (perMachine.get(passwordHost) ?? 0) - stepsPerMachine,
  remoteSteps: run.transport.received().length,
  peakRssBytes: peakRss(),
  baselineRssBytes,
};
console.log(JSON.stringify(sample));
