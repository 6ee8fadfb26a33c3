import {
  concat,
  defer,
  EMPTY,
  from,
  mergeMap,
  type Observable,
  throwError,
} from 'rxjs';
import type { RunContext } from './engineContext.js';
import { EngineError } from './engineError.js';
import { machineEffect } from './engineMachine.js';
import { passwordEffect } from './enginePassword.js';
import { preflightEffect } from './enginePreflight.js';
import type { JobFinished } from './events.js';
import type { JobSpec } from './jobState.js';
import { plan, planMachine } from './plan.js';
import { isMachineAction, type Action } from './planAction.js';
import type { RecordedEvent } from './ports.js';

const actionKey = (action: Action): string =>
  'machineUid' in action
    ? `${action.type}:${action.machineUid}:${
        'dependent' in action
          ? action.dependent.name
          : 'service' in action
            ? action.service.name
            : 'pool' in action
              ? action.pool.name
              : ''
      }`
    : action.type;

// A machine's actions run one after the other, each planned from the state
// its predecessor left, so a failed update is never followed by a restart.
const machineLane = (
  ctx: RunContext,
  machineUid: string,
  last?: string,
): Observable<RecordedEvent> =>
  defer(() => {
    const next = planMachine(ctx.journal.state(), machineUid)[0];
    if (next === undefined) {
      return EMPTY;
    }
    const key = actionKey(next);
    if (key === last) {
      return throwError(() => invalid(ctx.job, `no progress on ${key}`));
    }

    return concat(machineEffect(ctx, next), machineLane(ctx, machineUid, key));
  });

const invalid = (job: JobSpec, message: string) =>
  new EngineError({ _tag: 'InvalidJob', jobId: job.jobId, message });

/**
 * Carries out the pre-flight the plan starts with, if any.
 *
 * @category effects
 */
export const preflightPhase = (
  ctx: RunContext,
  parallel: number,
): Observable<RecordedEvent> =>
  defer(() => {
    const first = plan(ctx.journal.state())[0];

    return first?.type === 'Preflight'
      ? preflightEffect(ctx, first.targets, parallel)
      : EMPTY;
  });

/**
 * Carries out the password action the plan starts with, if any.
 *
 * @category effects
 */
export const passwordPhase = (ctx: RunContext): Observable<RecordedEvent> =>
  defer(() => {
    const first = plan(ctx.journal.state())[0];

    return first?.type === 'ChangePassword' ||
      first?.type === 'AdoptExternalPassword'
      ? passwordEffect(ctx, first)
      : EMPTY;
  });

/**
 * Works on every machine with actions left, up to `parallel` at once.
 *
 * @category effects
 */
export const machinesPhase = (
  ctx: RunContext,
  parallel: number,
): Observable<RecordedEvent> =>
  defer(() => {
    const machines = [
      ...new Set(
        plan(ctx.journal.state())
          .filter(isMachineAction)
          .map((a) => a.machineUid),
      ),
    ];

    return from(machines).pipe(
      mergeMap((uid) => machineLane(ctx, uid), parallel),
    );
  });

/**
 * Records `JobFinished` once the plan holds nothing but `Finish`.
 *
 * @category effects
 */
export const finishPhase = (ctx: RunContext): Observable<RecordedEvent> =>
  defer(() => {
    const left = plan(ctx.journal.state());
    const finish = left[0];
    if (finish === undefined) {
      return EMPTY;
    }
    if (left.length > 1 || finish.type !== 'Finish') {
      return throwError(() =>
        invalid(ctx.job, `work left after all machines: ${finish.type}`),
      );
    }
    const now = ctx.clock.now();
    const event: JobFinished = {
      type: 'JobFinished',
      data: {
        jobId: ctx.job.jobId,
        status: finish.status,
        counts: finish.counts,
        durationMs: Math.max(0, now.getTime() - Date.parse(ctx.job.at)),
        message: finish.message,
        at: now.toISOString(),
      },
    };

    return ctx.journal.append(event);
  });
