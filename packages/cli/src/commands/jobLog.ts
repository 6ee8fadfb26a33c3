import {
  jobStream,
  type LogAttributes,
  type Logger,
  type RecordedEvent,
} from '@rotor/core';
import type { ProgressSink } from './progressSink.js';

/** A log record for an event a job appended. */
export interface JobLogRecord {
  readonly level: 'info' | 'warn';
  readonly name: string;
  readonly attributes: LogAttributes;
}

const failures = new Set([
  'PasswordChangeFailed',
  'PreflightFailed',
  'MachineFailed',
  'DependentFailed',
  'ServiceRestartHalted',
  'AppPoolRecycleHalted',
]);

const jobPrefix = jobStream('');

const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : undefined;

/**
 * The log record of a job's event: named `job.<EventType>` (one name per
 * kind of line), at warn for a failure or a halt and info otherwise, with
 * the job, machine and dependent ids and the outcome's code, status or
 * reason. Never an event's message or payload, so never a secret.
 */
export const jobLogRecord = (event: RecordedEvent): JobLogRecord => {
  const d = (event.data ?? {}) as Record<string, unknown>;
  const error = d['error'] as { code?: unknown } | undefined;
  const attributes: Record<string, string | number | undefined> = {
    job: event.stream.startsWith(jobPrefix)
      ? event.stream.slice(jobPrefix.length)
      : event.stream,
    revision: event.revision,
    machine: text(d['machineUid']),
    dependent: text(d['dependent']),
    step: text(d['step']),
    status: text(d['status']),
    reason: text(d['reason']),
    purpose: text(d['purpose']),
    code: text(error?.code),
  };

  return {
    level: failures.has(event.type) ? 'warn' : 'info',
    name: `job.${event.type}`,
    attributes,
  };
};

/** A sink that logs each job event, then hands it to `inner`. */
export const loggingSink = (
  logger: Logger,
  inner: ProgressSink,
): ProgressSink => ({
  start: inner.start,
  event: (label, event) => {
    const r = jobLogRecord(event);
    logger[r.level](r.name, r.attributes);
    inner.event(label, event);
  },
  end: inner.end,
});
