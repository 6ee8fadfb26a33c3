import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import {
  checkLocalHome,
  checkMachine,
  checkUser,
  checkWindows,
} from './decideChecks.js';
import type { DecideError, Warning } from './decideErrors.js';
import type {
  DecideContext,
  Decision,
  ScheduleRotation,
} from './decideTypes.js';
import { jobStream } from './events.js';
import type { RotationScheduled, Target } from './events.js';
import { activeJobOf, mappingsOf, targetsFor } from './gatewayStateQueries.js';
import type { GatewayState } from './gatewayState.js';
import type { User } from './records.js';

type NoMappingsReason = Extract<DecideError, { _tag: 'NoMappings' }>['reason'];

const whyNothing = (
  state: GatewayState,
  userUid: string,
  skipped: number,
): NoMappingsReason => {
  if (mappingsOf(state, { userUid }).length === 0) {
    return 'not-mapped';
  }
  if (state.disabledUsers.has(userUid)) {
    return 'user-disabled';
  }

  return skipped > 0 ? 'machines-unusable' : 'machines-disabled';
};

const usable = (context: DecideContext, user: User, target: Target) =>
  pipe(
    checkMachine(context, target.machineUid),
    E.chain(checkWindows),
    E.chainFirst((machine) => checkLocalHome(machine, user)),
  );

/**
 * Schedules a rotation of a user on this gateway, with the targets as
 * mapped now.
 *
 * - The user must exist and be a user (checks 4 and 5).
 * - A user with a running job gets that job back: no event, its id as
 *   `jobId`, and a `JobAlreadyRunning` warning.
 * - Mapped machines that the inventory no longer lets take part (gone, not
 *   a machine, moved to another gateway, os not windows, another machine
 *   than a local user's own) are left out, each with a `MachineSkipped`
 *   warning.
 * - With nothing left to fix (no mappings, user or machines disabled, no
 *   usable machine) the command fails with `NoMappings`.
 *
 * @category deciders
 */
export const scheduleRotation = (
  command: ScheduleRotation,
  state: GatewayState,
  context: DecideContext,
): E.Either<DecideError, Decision> =>
  pipe(
    checkUser(context, command.userUid),
    E.chain((user) => {
      const running = activeJobOf(state, user.uid);
      if (running !== undefined) {
        return E.right<DecideError, Decision>({
          stream: jobStream(running.jobId),
          expected: 'any',
          events: [],
          warnings: [
            {
              _tag: 'JobAlreadyRunning',
              jobId: running.jobId,
              userUid: user.uid,
            },
          ],
          jobId: running.jobId,
        });
      }
      const warnings: Warning[] = [
        ...new Set(
          mappingsOf(state, { userUid: user.uid })
            .map((m) => m.machineUid)
            .filter((uid) => state.disabledMachines.has(uid)),
        ),
      ].map((machineUid) => ({ _tag: 'MachineDisabled', machineUid }));
      const targets = targetsFor(state, user.uid).filter((target) => {
        const checked = usable(context, user, target);
        if (E.isLeft(checked)) {
          warnings.push({
            _tag: 'MachineSkipped',
            machineUid: target.machineUid,
            error: checked.left,
          });
        }

        return E.isRight(checked);
      });
      if (targets.length === 0) {
        return E.left<DecideError, Decision>({
          _tag: 'NoMappings',
          userUid: user.uid,
          gatewayUid: context.gatewayUid,
          reason: whyNothing(
            state,
            user.uid,
            warnings.filter((w) => w._tag === 'MachineSkipped').length,
          ),
        });
      }
      const event: RotationScheduled = {
        type: 'RotationScheduled',
        data: {
          jobId: command.jobId,
          gatewayUid: context.gatewayUid,
          userUid: user.uid,
          targets,
          options: command.options,
          by: command.by,
          at: command.at,
        },
      };

      return E.right<DecideError, Decision>({
        stream: jobStream(command.jobId),
        expected: 'no-stream',
        events: [event],
        warnings,
        jobId: command.jobId,
      });
    }),
  );
