import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { checkMachine, checkUser } from './decideChecks.js';
import type { DecideError } from './decideErrors.js';
import { mappingRevision } from './decideMappings.js';
import type {
  DecideContext,
  Decision,
  DisableMapping,
  EnableMapping,
  ScopeInput,
} from './decideTypes.js';
import { mappingStream } from './events.js';
import type {
  MappingScope,
  MappingsDisabled,
  MappingsEnabled,
} from './events.js';
import type { GatewayState } from './gatewayState.js';

const given = (scope: ScopeInput): ReadonlyArray<string> => [
  ...(scope.machineUid === undefined ? [] : ['machineUid']),
  ...(scope.userUid === undefined ? [] : ['userUid']),
];

/**
 * Resolves a scope: exactly one of a machine and a user, each passing the
 * checks that apply to it (1 to 3 for a machine, 4 and 5 for a user). The
 * os is not checked: switching a machine off or on changes no host.
 *
 * @category deciders
 */
export const checkScope = (
  context: DecideContext,
  scope: ScopeInput,
): E.Either<DecideError, MappingScope> => {
  const { machineUid, userUid } = scope;
  if (machineUid !== undefined && userUid === undefined) {
    return pipe(
      checkMachine(context, machineUid),
      E.map((m): MappingScope => ({ machineUid: m.uid })),
    );
  }
  if (userUid !== undefined && machineUid === undefined) {
    return pipe(
      checkUser(context, userUid),
      E.map((u): MappingScope => ({ userUid: u.uid })),
    );
  }

  return E.left({ _tag: 'InvalidScope', given: given(scope) });
};

const isDisabled = (state: GatewayState, scope: MappingScope): boolean =>
  'machineUid' in scope
    ? state.disabledMachines.has(scope.machineUid)
    : state.disabledUsers.has(scope.userUid);

/**
 * Disables or enables a machine or a user on the gateway. Asking for the
 * state it is already in is a success with no event.
 *
 * @category deciders
 */
export const toggleScope = (
  command: EnableMapping | DisableMapping,
  state: GatewayState,
  context: DecideContext,
): E.Either<DecideError, Decision> =>
  pipe(
    checkScope(context, command.scope),
    E.map((scope): Decision => {
      const disable = command.type === 'DisableMapping';
      const data = {
        gatewayUid: context.gatewayUid,
        scope,
        by: command.by,
        at: command.at,
      };
      const event: MappingsDisabled | MappingsEnabled = disable
        ? { type: 'MappingsDisabled', data }
        : { type: 'MappingsEnabled', data };

      return {
        stream: mappingStream(context.gatewayUid),
        expected: mappingRevision(state),
        events: isDisabled(state, scope) === disable ? [] : [event],
        warnings: [],
      };
    }),
  );
