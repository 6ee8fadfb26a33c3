import * as E from 'fp-ts/lib/Either.js';
import { from, lastValueFrom, map, mergeMap, of, toArray } from 'rxjs';
import type { Target } from './events.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import type { StepContext } from './engineStep.js';
import { remoteStep } from './engineStep.js';
import type { HostError, HostOperations, HostSnapshot } from './ports.js';
import type { Machine, User } from './records.js';
import type { Uid } from './uid.js';

/**
 * What a read-only survey found on one machine: its snapshot, or the
 * failure that kept it from enumerating (unreachable, logon refused,
 * host key mismatch, an operation Windows refused).
 *
 * @category model
 */
export interface SurveyedMachine {
  readonly machineUid: Uid;
  readonly outcome: E.Either<Failure, HostSnapshot>;
}

/** What {@link surveyTargets} works with. @category model */
export interface SurveyDeps {
  readonly host: HostOperations;
  /** The machine record with this uid, or `undefined`. */
  readonly machine: (uid: string) => Machine | undefined;
  readonly step: StepContext;
  readonly parallel: number;
}

/**
 * Reaches, logs on to and enumerates every target, up to `parallel` at
 * once, with the engine's timeout and retries, and changes nothing. The
 * results are in the targets' order.
 *
 * @category effects
 */
export const surveyTargets = (
  deps: SurveyDeps,
  user: User,
  targets: ReadonlyArray<Target>,
): Promise<ReadonlyArray<SurveyedMachine>> =>
  lastValueFrom(
    from(targets.map((t, i) => [t, i] as const)).pipe(
      mergeMap(
        ([target, index]) => {
          const machine = deps.machine(target.machineUid);
          if (machine === undefined) {
            return of({
              index,
              machineUid: target.machineUid,
              outcome: E.left(
                failure('UnknownMachine', 'machine is not in the inventory'),
              ),
            });
          }

          return remoteStep(deps.step, {
            name: 'enumerate',
            attributes: { machine: target.machineUid, user: user.uid },
            call: () => deps.host.enumerate(machine, user, target.kinds),
            failureOf: (e: HostError) => e.failure,
            timedOut: (f: Failure): HostError => ({
              _tag: 'MachineUnusable',
              failure: f,
            }),
          }).pipe(
            map((result) => ({
              index,
              machineUid: target.machineUid,
              outcome: E.mapLeft((e: HostError) => e.failure)(result),
            })),
          );
        },
        Math.max(1, deps.parallel),
      ),
      toArray(),
      map((all) =>
        [...all]
          .sort((a, b) => a.index - b.index)
          .map(({ machineUid, outcome }) => ({ machineUid, outcome })),
      ),
    ),
  );
