import type * as E from 'fp-ts/lib/Either.js';
import type { DecideError } from './decideErrors.js';
import { addMapping, removeMapping } from './decideMappings.js';
import { scheduleRotation } from './decideSchedule.js';
import { toggleScope } from './decideScope.js';
import type { DecideContext, Decision, GatewayCommand } from './decideTypes.js';
import type { GatewayState } from './gatewayState.js';

/**
 * Turns a command into the events to append, given the gateway's state
 * and the inventory. Pure: time and the new job's id come in the command.
 *
 * Bad input is refused with the first failing check, in this order:
 * unknown machine uid; record is not a machine; machine not served by this
 * gateway; unknown user uid; record is not a user; machine os missing,
 * blank or not `windows`; a kind outside `service`, `task`, `iis`. Each
 * command runs the checks that concern what it names.
 *
 * @example
 * ```ts
 * const result = decide(
 *   { type: 'AddMapping', machineUid, userUid, kinds: ['service'], by, at },
 *   state,
 *   { inventory, gatewayUid },
 * );
 * ```
 *
 * @category deciders
 */
export const decide = (
  command: GatewayCommand,
  state: GatewayState,
  context: DecideContext,
): E.Either<DecideError, Decision> => {
  switch (command.type) {
    case 'AddMapping':
      return addMapping(command, state, context);
    case 'RemoveMapping':
      return removeMapping(command, state, context);
    case 'EnableMapping':
    case 'DisableMapping':
      return toggleScope(command, state, context);
    case 'ScheduleRotation':
      return scheduleRotation(command, state, context);
  }
};
