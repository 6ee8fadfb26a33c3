import type { RecordedEvent } from '@rotor/core';

/** One line of live progress for an event a job appended, if any. */
export const progressLine = (
  event: RecordedEvent,
  machineName: (uid: string) => string,
): string | undefined => {
  const d = event.data as Record<string, unknown>;
  const m =
    typeof d['machineUid'] === 'string' ? machineName(d['machineUid']) : '';
  const dep = typeof d['dependent'] === 'string' ? d['dependent'] : '';
  const err = d['error'] as { code?: string; message?: string } | undefined;
  switch (event.type) {
    case 'PreflightPassed': {
      const n = Array.isArray(d['machines']) ? d['machines'].length : 0;

      return `  pre-flight passed: ${n} machine(s) reached, logged on to and enumerated`;
    }
    case 'PreflightFailed': {
      const failures = (d['failures'] ?? []) as ReadonlyArray<{
        machineUid: string;
        error: { code: string; message: string };
      }>;

      return [
        `  pre-flight FAILED; nothing was changed:`,
        ...failures.map(
          (f) =>
            `    ${machineName(f.machineUid)}: ${f.error.code} ${f.error.message}`,
        ),
      ].join('\n');
    }
    case 'JobReopened':
      return `  job reopened for ${String(d['purpose'])}`;
    case 'PasswordChanged':
      return `  password changed (secret version ${String(d['secretVersion'])}, by ${String(d['by'])})`;
    case 'PasswordChangeFailed':
      return `  password NOT changed: ${err?.code ?? ''} ${err?.message ?? ''}`;
    case 'DependentsFound': {
      const n = Array.isArray(d['dependents']) ? d['dependents'].length : 0;

      return `  ${m}: ${n} dependent(s) found`;
    }
    case 'ServiceCredentialUpdated':
    case 'TaskCredentialUpdated':
    case 'AppPoolCredentialUpdated':
      return `  ${m}: ${dep}: password set`;
    case 'ServiceRestarted':
      return `  ${m}: ${dep}: restarted`;
    case 'AppPoolRecycled':
      return `  ${m}: ${dep}: recycled`;
    case 'ServiceRestartSkipped':
      return `  ${m}: ${dep}: not restarted (${String(d['reason'])})`;
    case 'ServiceRestartHalted':
    case 'AppPoolRecycleHalted':
      return `  ${m}: ${dep}: restart HALTED (${String(d['failedLogons'])} failed logon(s), budget ${String(d['budget'])}); resume with rotor restart`;
    case 'DependentFailed':
      return `  ${m}: ${dep}: FAILED at ${String(d['step'])}: ${err?.code ?? ''} ${err?.message ?? ''}`;
    case 'MachineFailed':
      return `  ${m}: MACHINE FAILED: ${err?.code ?? ''} ${err?.message ?? ''}`;
    case 'JobFinished':
      return `  finished: ${String(d['status'])}`;
    default:
      return undefined;
  }
};
