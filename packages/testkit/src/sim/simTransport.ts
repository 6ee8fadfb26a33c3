import * as E from 'fp-ts/lib/Either.js';
import type {
  Machine,
  RemoteCommand,
  RemoteResult,
  RunOptions,
  Transport,
  TransportError,
} from '@rotor/core';
import { executeOnSimHost } from './executeOnSimHost.js';
import { integrityOf, printSimRun } from './simOutput.js';
import type { FailingStep, FaultPlan } from './faultPlan.js';
import type { SimHost } from './simHost.js';
import { winErrorName } from './windowsErrors.js';

/**
 * A command the simulated transport received, and what became of it. Tests
 * check these for passwords: the script text must hold none (the input,
 * which travels on stdin, naturally does).
 *
 * @category testing
 */
export interface ReceivedCommand extends RemoteCommand {
  readonly machineUid: string;
  readonly timeoutMs: number;
  readonly outcome:
    | 'executed'
    | 'unreachable'
    | 'logon-refused'
    | 'transient'
    | 'timeout'
    | 'failed-step';
}

/** How a simulated transport is built. @category testing */
export interface SimTransportOptions {
  /** The simulated host of each machine, by machine uid. */
  readonly hosts: ReadonlyMap<string, SimHost>;
  readonly faults?: FaultPlan;
  /** Waits `ms`; tests pass a virtual or instant delay. */
  readonly delay?: (ms: number) => Promise<void>;
}

/**
 * A {@link Transport} that runs each command on a simulated host, with
 * faults that can be changed while it runs, and a record of every command.
 *
 * @category testing
 */
export interface SimTransport extends Transport {
  /** Every command received so far, in order, with what became of it. */
  readonly received: () => ReadonlyArray<ReceivedCommand>;
  /** The fault plan in force. */
  readonly faults: () => FaultPlan;
  /** Replaces the fault plan and forgets attempt counts. */
  readonly setFaults: (plan: FaultPlan) => void;
  /** How many times `close` was called. */
  readonly closeCount: () => number;
}

const realDelay = (ms: number): Promise<void> =>
  ms <= 0 ? Promise.resolve() : new Promise((r) => setTimeout(r, ms));

const transportError = (
  code: TransportError['code'],
  machineUid: string,
  transient: boolean,
  message: string,
): TransportError => ({
  _tag: 'TransportError',
  code,
  machineUid,
  message,
  transient,
});

const subjectOf = (input: string): string | undefined => {
  try {
    const v = JSON.parse(input) as Record<string, unknown>;
    const s = v['name'] ?? v['path'] ?? v['account'];

    return typeof s === 'string' ? s : undefined;
  } catch {
    return undefined;
  }
};

/**
 * A failing step as the host prints it: the script began its change, and
 * Windows refused it; the input's nonce is echoed as a real run does.
 */
const nonceOf = (input: string): { nonce?: string } => {
  const { nonce } = integrityOf(input);

  return nonce === undefined ? {} : { nonce };
};

const injected = (step: FailingStep, input: string): RemoteResult =>
  printSimRun(
    {
      languageMode: 'FullLanguage',
      begun: true,
      envelope: {
        ok: false,
        error: {
          code: step.code,
          name: step.name ?? winErrorName(step.code),
          message: `injected failure of ${step.operation}`,
        },
      },
      ...nonceOf(input),
      exitCode: 1,
    },
    {},
  );

/**
 * Builds a simulated transport over simulated hosts. A machine with no
 * host is unreachable. Runs are delayed by the plan's latency through the
 * injected `delay`; then faults are applied in this order: unreachable,
 * logon refused, transient (first N attempts), timeout, failing step; and
 * only then is the command executed on the host.
 *
 * @category testing
 */
export const createSimTransport = (
  options: SimTransportOptions,
): SimTransport => {
  const delay = options.delay ?? realDelay;
  let plan: FaultPlan = options.faults ?? {};
  let attempts = new Map<string, number>();
  const stepHits = new Map<FailingStep, number>();
  const received: ReceivedCommand[] = [];
  let closes = 0;

  const transientHit = (uid: string, operation: string) =>
    (plan.transient ?? []).find((f) => {
      if (f.machineUid !== uid || (f.operation ?? operation) !== operation) {
        return false;
      }
      const key = `${f.machineUid}/${f.operation ?? '*'}`;
      const n = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, n);

      return n <= f.attempts;
    });

  const failingStep = (uid: string, command: RemoteCommand) => {
    const subject = subjectOf(command.input)?.toLowerCase();
    const step = (plan.failingSteps ?? []).find(
      (s) =>
        s.machineUid === uid &&
        s.operation === command.operation &&
        (s.dependent === undefined || s.dependent.toLowerCase() === subject) &&
        (s.times === undefined || (stepHits.get(s) ?? 0) < s.times),
    );
    if (step !== undefined) {
      stepHits.set(step, (stepHits.get(step) ?? 0) + 1);
    }

    return step;
  };

  const run = async (
    machine: Machine,
    command: RemoteCommand,
    runOptions: RunOptions,
  ): Promise<E.Either<TransportError, RemoteResult>> => {
    const uid = machine.uid as string;
    const note = (outcome: ReceivedCommand['outcome']) =>
      received.push({
        machineUid: uid,
        operation: command.operation,
        script: command.script,
        input: command.input,
        timeoutMs: runOptions.timeoutMs,
        outcome,
      });
    const latency =
      typeof plan.latencyMs === 'function'
        ? plan.latencyMs(uid, command.operation)
        : (plan.latencyMs ?? 0);
    await delay(Math.min(latency, runOptions.timeoutMs));
    const host = options.hosts.get(uid);
    if (host === undefined || (plan.unreachable ?? []).includes(uid)) {
      note('unreachable');

      return E.left(
        transportError('Unreachable', uid, true, `${machine.host} unreachable`),
      );
    }
    if ((plan.logonRefused ?? []).includes(uid)) {
      note('logon-refused');

      return E.left(
        transportError('LogonRefused', uid, false, 'logon refused by host'),
      );
    }
    const transient = transientHit(uid, command.operation);
    if (transient !== undefined) {
      note('transient');

      return E.left(
        transportError(transient.code ?? 'Unreachable', uid, true, 'transient'),
      );
    }
    if (latency > runOptions.timeoutMs) {
      note('timeout');

      return E.left(transportError('Timeout', uid, true, 'step timed out'));
    }
    const step = failingStep(uid, command);
    if (step !== undefined) {
      note('failed-step');

      return E.right(injected(step, command.input));
    }
    note('executed');

    return E.right(executeOnSimHost(host, command));
  };

  return {
    run,
    close: () => {
      closes += 1;

      return Promise.resolve();
    },
    received: () => [...received],
    faults: () => plan,
    setFaults: (next) => {
      plan = next;
      attempts = new Map();
    },
    closeCount: () => closes,
  };
};
