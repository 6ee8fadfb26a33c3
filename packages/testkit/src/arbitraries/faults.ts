import fc from 'fast-check';
import type { OperationName } from '@rotor/windows';
import type {
  FailingStep,
  FaultPlan,
  TransientFault,
} from '../sim/faultPlan.js';

/** Operations a failing step is drawn from. */
const stepOperations: ReadonlyArray<OperationName> = [
  'enumerate-dependents',
  'set-service-credential',
  'restart-service',
  'set-task-credential',
  'set-apppool-credential',
  'recycle-apppool',
];

/** Windows errors a failing step returns, with their names. */
const stepErrors: ReadonlyArray<readonly [number, string]> = [
  [5, 'ERROR_ACCESS_DENIED'],
  [1053, 'ERROR_SERVICE_REQUEST_TIMEOUT'],
  [1069, 'ERROR_SERVICE_LOGON_FAILED'],
  [-2147023584, 'HRESULT_NO_SUCH_LOGON_SESSION'],
];

/** Limits of {@link faultPlanArb}. @category testing */
export interface FaultPlanArbOptions {
  /** Allow unreachable and logon-refused machines (default true). */
  readonly permanent?: boolean;
  /** The most transient failures in a row on one machine (default 2). */
  readonly maxTransient?: number;
  /** The highest latency per step in ms (default 0). */
  readonly maxLatencyMs?: number;
  /** Dependent names a failing step may name. */
  readonly dependents?: ReadonlyArray<string>;
}

/**
 * A fault schedule over some machines: a few unreachable or refusing
 * logon, transient failures for the first attempts, failing steps with a
 * Windows error (on any or one named dependent, once or always), and a
 * latency per step.
 *
 * @category testing
 */
export const faultPlanArb = (
  machineUids: ReadonlyArray<string>,
  options: FaultPlanArbOptions = {},
): fc.Arbitrary<FaultPlan> => {
  const uid = fc.constantFrom(...machineUids);
  const permanent = options.permanent ?? true;
  const transient: fc.Arbitrary<TransientFault> = fc.record(
    {
      machineUid: uid,
      operation: fc.constantFrom(...stepOperations),
      attempts: fc.integer({ min: 1, max: options.maxTransient ?? 2 }),
      code: fc.constantFrom('Unreachable' as const, 'Timeout' as const),
    },
    { requiredKeys: ['machineUid', 'attempts'] },
  );
  const dependents = options.dependents ?? [];
  const failing: fc.Arbitrary<FailingStep> = fc
    .record({
      machineUid: uid,
      operation: fc.constantFrom(...stepOperations),
      error: fc.constantFrom(...stepErrors),
      dependent:
        dependents.length === 0
          ? fc.constant(undefined)
          : fc.option(fc.constantFrom(...dependents), { nil: undefined }),
      times: fc.option(fc.integer({ min: 1, max: 2 }), { nil: undefined }),
    })
    .map((f) => ({
      machineUid: f.machineUid,
      operation: f.operation,
      code: f.error[0],
      name: f.error[1],
      ...(f.dependent === undefined ? {} : { dependent: f.dependent }),
      ...(f.times === undefined ? {} : { times: f.times }),
    }));
  const some = <T>(a: fc.Arbitrary<T>) => fc.array(a, { maxLength: 2 });

  return fc
    .record({
      unreachable: permanent ? fc.subarray([...machineUids]) : fc.constant([]),
      logonRefused: permanent ? fc.subarray([...machineUids]) : fc.constant([]),
      transient: some(transient),
      failingSteps: some(failing),
      latencyMs: fc.integer({ min: 0, max: options.maxLatencyMs ?? 0 }),
    })
    .map((p) => ({
      ...p,
      // Keep most machines working: at most one is cut off in each way.
      unreachable: p.unreachable.slice(0, 1),
      logonRefused: p.logonRefused.slice(0, 1),
    }));
};
