import { cpus, freemem, platform, release, totalmem } from 'node:os';

/**
 * The machine a benchmark ran on, printed beside every figure: a time
 * means little without it.
 */
export interface MachineInfo {
  readonly os: string;
  readonly cpu: string;
  readonly cores: number;
  readonly memoryMb: number;
  readonly freeMemoryMb: number;
  readonly node: string;
  readonly date: string;
}

/** The machine this process runs on, now. */
export const machineInfo = (): MachineInfo => {
  const list = cpus();

  return {
    os: `${platform()} ${release()}`,
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryMb: Math.round(totalmem() / 2 ** 20),
    freeMemoryMb: Math.round(freemem() / 2 ** 20),
    node: process.version,
    date: new Date().toISOString(),
  };
};

/** One line for a human. */
export const describeMachine = (m: MachineInfo): string =>
  `${m.os}, ${m.cpu}, ${m.cores} cores, ${m.memoryMb} MB, node ${m.node}, ${m.date}`;
