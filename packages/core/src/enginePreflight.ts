import * as E from 'fp-ts/lib/Either.js';
import { defer, from, mergeMap, type Observable } from 'rxjs';
import type { RunContext } from './engineContext.js';
import { surveyTargets } from './engineSurvey.js';
import type { JobEvent, Target } from './events.js';
import { failure } from './failure.js';
import type { RecordedEvent } from './ports.js';

/**
 * Carries out a `Preflight` action: reaches, logs on to and enumerates
 * every target, changing nothing, and records `PreflightPassed` or
 * `PreflightFailed` with each machine that failed and why.
 *
 * @category effects
 */
export const preflightEffect = (
  ctx: RunContext,
  targets: ReadonlyArray<Target>,
  parallel: number,
): Observable<RecordedEvent> =>
  defer(() => {
    const user = ctx.user();
    const at = () => ctx.clock.now().toISOString();
    const { jobId } = ctx.job;
    const surveyed =
      user === undefined
        ? Promise.resolve(
            targets.map((t) => ({
              machineUid: t.machineUid,
              outcome: E.left(
                failure('UnknownUser', 'user is not in the inventory'),
              ),
            })),
          )
        : surveyTargets(
            { host: ctx.host, machine: ctx.machine, step: ctx.step, parallel },
            user,
            targets,
          );

    return from(surveyed).pipe(
      mergeMap((results) => {
        const failures = results.flatMap((r) =>
          E.isLeft(r.outcome)
            ? [
                {
                  machineUid: r.machineUid,
                  step: 'enumerate' as const,
                  error: r.outcome.left,
                },
              ]
            : [],
        );
        const event: JobEvent =
          failures.length > 0
            ? { type: 'PreflightFailed', data: { jobId, failures, at: at() } }
            : {
                type: 'PreflightPassed',
                data: {
                  jobId,
                  machines: results.map((r) => ({
                    machineUid: r.machineUid,
                    dependents: E.isRight(r.outcome)
                      ? r.outcome.right.dependents.length
                      : 0,
                  })),
                  at: at(),
                },
              };
        ctx.logger.info('engine.preflight.done', {
          job: jobId,
          machines: results.length,
          failed: failures.length,
        });

        return ctx.journal.append(event);
      }),
    );
  });
