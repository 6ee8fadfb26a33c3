import * as E from 'fp-ts/lib/Either.js';
import { mergeMap, type Observable, of } from 'rxjs';
import type { RunContext } from './engineContext.js';
import { remoteStep } from './engineStep.js';
import type { Dependent } from './dependent.js';
import type { JobEvent, Step } from './events.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import type { MachineAction } from './planAction.js';
import type { HostError, RecordedEvent } from './ports.js';
import type { Machine, User } from './records.js';

const updatedType = {
  service: 'ServiceCredentialUpdated',
  task: 'TaskCredentialUpdated',
  iis: 'AppPoolCredentialUpdated',
} as const;

const stepOf = {
  Enumerate: 'enumerate',
  UpdateCredential: 'update',
  RestartService: 'restart',
  SkipRestart: 'restart',
  RecycleAppPool: 'recycle',
} as const satisfies Record<MachineAction['type'], Step>;

const dependentOf = (action: MachineAction): Dependent | undefined => {
  switch (action.type) {
    case 'Enumerate':
      return undefined;
    case 'UpdateCredential':
      return action.dependent;
    case 'RestartService':
    case 'SkipRestart':
      return action.service;
    case 'RecycleAppPool':
      return action.pool;
  }
};

// A machine that cannot be worked on fails as a whole; a refusal by
// Windows fails only the dependent it was about.
const failureEvent = (
  ctx: RunContext,
  action: MachineAction,
  error: HostError,
): JobEvent => {
  const base = {
    jobId: ctx.job.jobId,
    machineUid: action.machineUid,
    step: stepOf[action.type],
    error: error.failure,
    at: ctx.clock.now().toISOString(),
  };
  const dependent = dependentOf(action);

  return error._tag === 'MachineUnusable' || dependent === undefined
    ? { type: 'MachineFailed', data: base }
    : {
        type: 'DependentFailed',
        data: { ...base, dependent: dependent.name, kind: dependent.kind },
      };
};

const hostStep = <A>(
  ctx: RunContext,
  action: MachineAction,
  call: () => Promise<E.Either<HostError, A>>,
  success: (value: A) => JobEvent,
): Observable<JobEvent> =>
  remoteStep(ctx.step, {
    name: stepOf[action.type],
    attributes: {
      job: ctx.job.jobId,
      machine: action.machineUid,
      dependent: dependentOf(action)?.name,
    },
    call,
    failureOf: (e: HostError) => e.failure,
    timedOut: (f: Failure): HostError => ({
      _tag: 'MachineUnusable',
      failure: f,
    }),
  }).pipe(
    mergeMap((result) =>
      of(
        E.isLeft(result)
          ? failureEvent(ctx, action, result.left)
          : success(result.right),
      ),
    ),
  );

const outcome = (
  ctx: RunContext,
  action: MachineAction,
  machine: Machine,
  user: User,
): Observable<JobEvent> => {
  const at = () => ctx.clock.now().toISOString();
  const { jobId } = ctx.job;
  const { machineUid } = action;
  switch (action.type) {
    case 'Enumerate':
      return hostStep(
        ctx,
        action,
        () => ctx.host.enumerate(machine, user, action.kinds),
        (snapshot) => ({
          type: 'DependentsFound',
          data: {
            jobId,
            machineUid,
            host: snapshot.host,
            dependents: [...snapshot.dependents],
            at: at(),
          },
        }),
      );
    // TODO(8): storing a task's password makes Windows check it (a logon),
    // so a wrong password spends a bad logon per task; task updates should
    // go through the restart gate too (halted ones need an event of their
    // own). Matters for fleets with many tasks of one account.
    case 'UpdateCredential': {
      const { dependent, secretVersion } = action;

      return ctx.password(secretVersion).pipe(
        mergeMap((password) =>
          hostStep(
            ctx,
            action,
            () =>
              ctx.host.setCredential(machine, dependent, password, { jobId }),
            () => ({
              type: updatedType[dependent.kind],
              data: {
                jobId,
                machineUid,
                dependent: dependent.name,
                secretVersion,
                at: at(),
              },
            }),
          ),
        ),
      );
    }
    case 'RestartService': {
      // Restarts of the account go through the run's gate: canary first,
      // then within the failed-logon budget.
      const attempt = () =>
        hostStep(
          ctx,
          action,
          // The plan restarts only services the job's snapshot saw running,
          // so one that is stopped now (a canary whose start failed) may be
          // started again.
          () =>
            ctx.host.restartService(machine, action.service, {
              jobId,
              startIfStopped: true,
            }),
          (restart) => ({
            type: 'ServiceRestarted',
            data: {
              jobId,
              machineUid,
              dependent: action.service.name,
              dependentsRestarted: [...restart.dependentsRestarted],
              at: at(),
            },
          }),
        );

      return ctx.restartGate === undefined
        ? attempt()
        : ctx.restartGate.through(attempt, (failedLogons): JobEvent => ({
            type: 'ServiceRestartHalted',
            data: {
              jobId,
              machineUid,
              dependent: action.service.name,
              failedLogons,
              budget: ctx.restartBudget ?? 0,
              at: at(),
            },
          }));
    }
    case 'SkipRestart':
      return of({
        type: 'ServiceRestartSkipped',
        data: {
          jobId,
          machineUid,
          dependent: action.service.name,
          reason: action.reason,
          at: at(),
        },
      });
    case 'RecycleAppPool': {
      // A recycle starts a worker that logs on as the account: it goes
      // through the same gate as the restarts.
      const attempt = () =>
        hostStep(
          ctx,
          action,
          () => ctx.host.recycleAppPool(machine, action.pool.name, { jobId }),
          (): JobEvent => ({
            type: 'AppPoolRecycled',
            data: { jobId, machineUid, dependent: action.pool.name, at: at() },
          }),
        );

      return ctx.restartGate === undefined
        ? attempt()
        : ctx.restartGate.through(attempt, (failedLogons): JobEvent => ({
            type: 'AppPoolRecycleHalted',
            data: {
              jobId,
              machineUid,
              dependent: action.pool.name,
              failedLogons,
              budget: ctx.restartBudget ?? 0,
              at: at(),
            },
          }));
    }
  }
};

/**
 * Carries out one action on one machine and records its outcome: the
 * success event, `DependentFailed` when Windows refused the operation, or
 * `MachineFailed` when the machine could not be worked on (or is not in
 * the inventory). Transient failures are retried first.
 *
 * @category effects
 */
export const machineEffect = (
  ctx: RunContext,
  action: MachineAction,
): Observable<RecordedEvent> => {
  const machine = ctx.machine(action.machineUid);
  const user = ctx.user();
  const event: Observable<JobEvent> =
    machine === undefined || user === undefined
      ? of(
          failureEvent(ctx, action, {
            _tag: 'MachineUnusable',
            failure: failure(
              machine === undefined ? 'UnknownMachine' : 'UnknownUser',
              `${machine === undefined ? 'machine' : 'user'} is not in the inventory`,
            ),
          }),
        )
      : outcome(ctx, action, machine, user);

  return event.pipe(mergeMap((e) => ctx.journal.append(e)));
};
