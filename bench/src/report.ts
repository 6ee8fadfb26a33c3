import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeMachine, machineInfo } from './machine.js';

/**
 * One measured figure. `target` states the goal in words; `met` says
 * whether this run met it (undefined when the figure has no target). A
 * missed target is reported, never an error: benchmarks measure.
 */
export interface Figure {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  readonly target?: string;
  readonly met?: boolean;
}

/** A benchmark's outcome: its figures, or why it was skipped. */
export interface BenchResult {
  readonly name: string;
  readonly title: string;
  readonly params: Readonly<Record<string, unknown>>;
  readonly figures: ReadonlyArray<Figure>;
  readonly skipped?: ReadonlyArray<string>;
  readonly notes?: ReadonlyArray<string>;
}

/** bench/results, beside dist/. */
export const resultsDir = fileURLToPath(
  new URL('../results/', import.meta.url),
);

const shown = (v: number): string =>
  Number.isInteger(v)
    ? String(v)
    : Math.abs(v) >= 100
      ? v.toFixed(0)
      : Math.abs(v) >= 1
        ? v.toFixed(2)
        : v.toPrecision(3);

/** Prints a result with the machine and writes bench/results/<name>.json. */
export const report = (result: BenchResult): void => {
  const machine = machineInfo();
  console.log(`\n== ${result.title}`);
  console.log(`   machine: ${describeMachine(machine)}`);
  console.log(`   params:  ${JSON.stringify(result.params)}`);
  for (const f of result.figures) {
    const verdict =
      f.met === undefined ? '' : f.met ? '  [target met]' : '  [TARGET MISSED]';
    const target = f.target === undefined ? '' : `  (target ${f.target})`;
    console.log(`   ${f.name}: ${shown(f.value)} ${f.unit}${target}${verdict}`);
  }
  for (const s of result.skipped ?? []) {
    console.log(`   skipped: ${s}`);
  }
  for (const n of result.notes ?? []) {
    console.log(`   note: ${n}`);
  }
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(
    `${resultsDir}${result.name}.json`,
    `${JSON.stringify({ ...result, machine }, null, 2)}\n`,
  );
};

/** A figure with a goal: `met` is computed from the comparison given. */
export const figure = (
  name: string,
  value: number,
  unit: string,
  goal?: { readonly target: string; readonly met: (v: number) => boolean },
): Figure =>
  goal === undefined
    ? { name, value, unit }
    : { name, value, unit, target: goal.target, met: goal.met(value) };
