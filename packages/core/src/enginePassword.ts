import * as E from 'fp-ts/lib/Either.js';
import { defer, from, mergeMap, type Observable, of } from 'rxjs';
import { fromSecrets, type RunContext } from './engineContext.js';
import { remoteStep } from './engineStep.js';
import type { JobEvent } from './events.js';
import type { Failure } from './failure.js';
import { failure } from './failure.js';
import type { Action } from './planAction.js';
import type { RecordedEvent, SecretVersion } from './ports.js';
import type { User } from './records.js';
import type { Secret } from './secret.js';

const failed = (ctx: RunContext, error: Failure): JobEvent => ({
  type: 'PasswordChangeFailed',
  data: { jobId: ctx.job.jobId, error, at: ctx.clock.now().toISOString() },
});

const changed = (
  ctx: RunContext,
  secretVersion: number,
  by: 'engine' | 'external',
): JobEvent => ({
  type: 'PasswordChanged',
  data: {
    jobId: ctx.job.jobId,
    secretVersion,
    by,
    at: ctx.clock.now().toISOString(),
  },
});

const unknownUser = (ctx: RunContext): Failure =>
  failure('UnknownUser', `user ${ctx.job.userUid} is not in the inventory`);

// The current password, or undefined on a first rotation.
const currentPassword = (ctx: RunContext): Observable<Secret | undefined> =>
  defer(() => from(ctx.secrets.current(ctx.job.userUid))).pipe(
    mergeMap((result) =>
      E.isLeft(result) && result.left.code === 'NotFound'
        ? of(undefined)
        : fromSecrets(ctx.job.jobId, () => Promise.resolve(result)).pipe(
            mergeMap((v) => of<Secret | undefined>(v.password)),
          ),
    ),
  );

// A version this job staged before a crash is reused: the account may
// already hold it, and a fresh one would lose that password.
const stagedOrNew = (ctx: RunContext): Observable<SecretVersion> => {
  const { userUid, jobId } = ctx.job;

  return fromSecrets(jobId, () => ctx.secrets.staged(userUid, jobId)).pipe(
    mergeMap((staged) =>
      staged !== undefined
        ? of(staged)
        : fromSecrets(jobId, () =>
            ctx.secrets.stage(userUid, ctx.newPassword(), jobId),
          ),
    ),
  );
};

const changeAccount = (
  ctx: RunContext,
  user: User,
  current: Secret | undefined,
): Observable<JobEvent> =>
  stagedOrNew(ctx).pipe(
    mergeMap((next) =>
      remoteStep(ctx.step, {
        name: 'password',
        attributes: { job: ctx.job.jobId, user: user.uid },
        call: () =>
          ctx.rotator.change(user, next.password, current, {
            jobId: ctx.job.jobId,
          }),
        failureOf: (f) => f,
        timedOut: (f) => f,
      }).pipe(
        mergeMap((result) =>
          E.isLeft(result)
            ? of(failed(ctx, result.left))
            : fromSecrets(ctx.job.jobId, () =>
                ctx.secrets.promote(user.uid, next.version),
              ).pipe(mergeMap(() => of(changed(ctx, next.version, 'engine')))),
        ),
      ),
    ),
  );

const adopt = (ctx: RunContext): Observable<JobEvent> =>
  defer(() => from(ctx.secrets.current(ctx.job.userUid))).pipe(
    mergeMap((result) =>
      E.isLeft(result) && result.left.code === 'NotFound'
        ? of(
            failed(
              ctx,
              failure(
                'NoCurrentPassword',
                'the secret store holds no password to propagate',
              ),
            ),
          )
        : fromSecrets(ctx.job.jobId, () => Promise.resolve(result)).pipe(
            mergeMap((v) => of(changed(ctx, v.version, 'external'))),
          ),
    ),
  );

/**
 * Carries out the password step and records its outcome. `ChangePassword`
 * stages the new password with the job id before the account is changed
 * and promotes it after; a change that fails records
 * `PasswordChangeFailed`, after which the plan touches no dependent.
 *
 * @category effects
 */
export const passwordEffect = (
  ctx: RunContext,
  action: Extract<
    Action,
    { readonly type: 'ChangePassword' | 'AdoptExternalPassword' }
  >,
): Observable<RecordedEvent> => {
  const user = ctx.user();
  const outcome: Observable<JobEvent> =
    user === undefined
      ? of(failed(ctx, unknownUser(ctx)))
      : action.type === 'AdoptExternalPassword'
        ? adopt(ctx)
        : currentPassword(ctx).pipe(
            mergeMap((current) => changeAccount(ctx, user, current)),
          );

  return outcome.pipe(mergeMap((event) => ctx.journal.append(event)));
};
