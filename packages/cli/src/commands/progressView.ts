import type { RecordedEvent } from '@rotor/core';
import { progressLine } from './progress.js';

/** Where one machine of a job is, as the live display shows it. */
export interface MachineLine {
  readonly machine: string;
  readonly phase: 'waiting' | 'working' | 'done' | 'failed' | 'not reached';
  readonly found?: number;
  readonly set: number;
  readonly restarted: number;
  readonly skipped: number;
  readonly failed: number;
  /** The last thing that happened on it, in the words of the plain lines. */
  readonly last: string;
}

/** One job of the live display: its label, its status and its machines. */
export interface JobLines {
  readonly label: string;
  readonly status: string;
  readonly machines: ReadonlyArray<MachineLine>;
}

/** What the live display shows: every job being run by this command. */
export type ProgressView = ReadonlyArray<JobLines>;

/** A job whose machines have not been reached yet. */
export const startJob = (
  view: ProgressView,
  label: string,
  machines: ReadonlyArray<string>,
): ProgressView => [
  ...view.filter((j) => j.label !== label),
  {
    label,
    status: 'waiting',
    machines: machines.map((machine) => ({
      machine,
      phase: 'waiting',
      set: 0,
      restarted: 0,
      skipped: 0,
      failed: 0,
      last: '',
    })),
  },
];

type Counter = 'set' | 'restarted' | 'skipped' | 'failed';

const counterOf = (type: string): Counter | undefined => {
  switch (type) {
    case 'ServiceCredentialUpdated':
    case 'TaskCredentialUpdated':
    case 'AppPoolCredentialUpdated':
      return 'set';
    case 'ServiceRestarted':
    case 'AppPoolRecycled':
      return 'restarted';
    case 'ServiceRestartSkipped':
    case 'ServiceRestartHalted':
    case 'AppPoolRecycleHalted':
      return 'skipped';
    case 'DependentFailed':
      return 'failed';
    default:
      return undefined;
  }
};

const jobStatusOf = (event: RecordedEvent, before: string): string => {
  const d = event.data as Record<string, unknown>;
  switch (event.type) {
    case 'JobFinished':
      return String(d['status']);
    case 'PasswordChanged':
      return 'password changed';
    case 'PasswordChangeFailed':
      return 'password NOT changed';
    case 'PreflightPassed':
      return 'pre-flight passed';
    case 'PreflightFailed':
      return 'pre-flight FAILED';
    case 'JobReopened':
      return `reopened for ${String(d['purpose'])}`;
    default:
      return before === 'waiting' ? 'running' : before;
  }
};

const advanceMachine = (
  m: MachineLine,
  event: RecordedEvent,
  line: string | undefined,
): MachineLine => {
  const d = event.data as Record<string, unknown>;
  const last = line?.trim().replace(`${m.machine}: `, '') ?? m.last;
  if (event.type === 'MachineFailed') {
    return { ...m, phase: 'failed', last };
  }
  if (event.type === 'DependentsFound') {
    const found = Array.isArray(d['dependents']) ? d['dependents'].length : 0;

    return { ...m, phase: 'working', found, last };
  }
  const counter = counterOf(event.type);

  return counter === undefined
    ? m
    : { ...m, phase: 'working', [counter]: m[counter] + 1, last };
};

const finalPhase = (phase: MachineLine['phase']): MachineLine['phase'] =>
  phase === 'waiting' ? 'not reached' : phase === 'working' ? 'done' : phase;

/**
 * The view after a job appended `event`: the machine it names counts it
 * and shows it as its last step; a finished job marks its machines done
 * (those that failed stay failed, those never reached say so).
 */
export const applyEvent = (
  view: ProgressView,
  label: string,
  event: RecordedEvent,
  machineName: (uid: string) => string,
): ProgressView =>
  view.map((job) => {
    if (job.label !== label) {
      return job;
    }
    const d = event.data as Record<string, unknown>;
    const uid = typeof d['machineUid'] === 'string' ? d['machineUid'] : '';
    const name = uid === '' ? undefined : machineName(uid);
    const line = progressLine(event, machineName);
    const machines =
      event.type === 'JobFinished'
        ? job.machines.map((m) => ({ ...m, phase: finalPhase(m.phase) }))
        : job.machines.map((m) =>
            m.machine === name ? advanceMachine(m, event, line) : m,
          );

    return { ...job, status: jobStatusOf(event, job.status), machines };
  });

const countsOf = (m: MachineLine): string =>
  [
    m.found === undefined ? '' : `${m.found} found`,
    m.set > 0 ? `${m.set} set` : '',
    m.restarted > 0 ? `${m.restarted} restarted` : '',
    m.skipped > 0 ? `${m.skipped} not restarted` : '',
    m.failed > 0 ? `${m.failed} FAILED` : '',
  ]
    .filter((x) => x !== '')
    .join(', ');

const phaseMark: Record<MachineLine['phase'], string> = {
  waiting: '…',
  working: '>',
  done: '✓',
  failed: '✗',
  'not reached': '-',
};

const fit = (text: string, width: number): string =>
  text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;

/**
 * The lines of the live display: per job a line with its label and
 * status, then a line per machine (mark, name, phase, counts, last step),
 * names and phases in aligned columns, each line cut to `width`.
 */
export const renderView = (
  view: ProgressView,
  width: number = 100,
): ReadonlyArray<string> => {
  const nameWidth = Math.max(
    0,
    ...view.flatMap((j) => j.machines.map((m) => m.machine.length)),
  );
  const lines: string[] = [];
  for (const job of view) {
    lines.push(fit(`${job.label}: ${job.status}`, width));
    for (const m of job.machines) {
      const counts = countsOf(m);
      const text = [
        `  ${phaseMark[m.phase]} ${m.machine.padEnd(nameWidth)}`,
        m.phase.padEnd(11),
        counts,
        m.last === '' ? '' : `| ${m.last}`,
      ]
        .filter((x) => x !== '')
        .join('  ');
      lines.push(fit(text.trimEnd(), width));
    }
  }

  return lines;
};
