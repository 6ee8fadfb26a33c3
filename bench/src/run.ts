import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describeMachine, machineInfo } from './machine.js';

// `pnpm bench`: every benchmark in order, each in its own process, so one
// that breaks does not stop the rest and each has its own memory. Name
// some to run only those: `pnpm bench -- replay appends`.
const all = ['fanout', 'replay', 'appends', 'transports'];
const asked = process.argv.slice(2).filter((a) => all.includes(a));
const chosen = asked.length > 0 ? asked : all;

console.log(`rotor benchmarks on ${describeMachine(machineInfo())}`);
const failed: string[] = [];
for (const name of chosen) {
  const file = fileURLToPath(new URL(`./${name}.js`, import.meta.url));
  const r = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed.push(name);
  }
}
if (failed.length > 0) {
  console.log(
    `\nbenchmarks that did not run to their end: ${failed.join(', ')}`,
  );
  process.exitCode = 1;
}
