import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { checkKinds, checkLocalHome, checkMapping } from './decideChecks.js';
import type { DecideError, Warning } from './decideErrors.js';
import type {
  AddMapping,
  DecideContext,
  Decision,
  RemoveMapping,
} from './decideTypes.js';
import type { DependentKind } from './dependent.js';
import { mappingStream } from './events.js';
import type { MappingAdded, MappingRemoved } from './events.js';
import { mappingKey } from './gatewayState.js';
import { mappingsOf } from './gatewayStateQueries.js';
import type { GatewayState } from './gatewayState.js';
import type { ExpectedRevision } from './ports.js';

/**
 * The revision of the gateway's mapping stream, as the state has seen it.
 *
 * @category deciders
 */
export const mappingRevision = (state: GatewayState): ExpectedRevision =>
  state.mappingEvents === 0 ? 'no-stream' : state.mappingEvents - 1;

const has = (
  state: GatewayState,
  machineUid: string,
  userUid: string,
  kind: DependentKind,
) => state.mappings.has(mappingKey({ machineUid, userUid, kind }));

/**
 * Adds one `MappingAdded` per kind not yet mapped; a mapping that exists
 * is a success with no event. Besides checks 1 to 7, a local user may be
 * mapped only to its own machine (check 8, `LocalUserElsewhere`).
 *
 * @category deciders
 */
export const addMapping = (
  command: AddMapping,
  state: GatewayState,
  context: DecideContext,
): E.Either<DecideError, Decision> =>
  pipe(
    checkMapping(context, command),
    E.chainFirst(({ machine, user }) => checkLocalHome(machine, user)),
    E.map(({ machine, user, kinds }) => ({
      stream: mappingStream(context.gatewayUid),
      expected: mappingRevision(state),
      warnings: [],
      events: kinds
        .filter((kind) => !has(state, machine.uid, user.uid, kind))
        .map((kind): MappingAdded => ({
          type: 'MappingAdded',
          data: {
            gatewayUid: context.gatewayUid,
            machineUid: machine.uid,
            userUid: user.uid,
            kind,
            by: command.by,
            at: command.at,
          },
        })),
    })),
  );

/**
 * Removes the mapping for each kind that is mapped. Kinds named but not
 * mapped give one `MappingNotFound` warning; with no kind named, the
 * warning comes only when nothing at all was mapped.
 *
 * When the user has a mapping on the machine, only the kinds are checked,
 * so that a mapping can be removed after its machine or user has left the
 * inventory or stopped being a Windows host; otherwise every check runs, so
 * a mistyped uid is an error and not just a warning.
 *
 * @category deciders
 */
export const removeMapping = (
  command: RemoveMapping,
  state: GatewayState,
  context: DecideContext,
): E.Either<DecideError, Decision> => {
  const { machineUid, userUid } = command;
  const existing = mappingsOf(state, { machineUid, userUid });
  const checked =
    existing.length > 0
      ? checkKinds(command.kinds)
      : pipe(
          checkMapping(context, command),
          E.map((c) => c.kinds),
        );

  return pipe(
    checked,
    E.map((kinds) => {
      const removed = existing.filter((m) => kinds.includes(m.kind));
      const missing = kinds.filter((k) => !removed.some((m) => m.kind === k));
      const named = command.kinds !== undefined && command.kinds.length > 0;
      const warn = missing.length > 0 && (named || removed.length === 0);
      const warnings: ReadonlyArray<Warning> = warn
        ? [{ _tag: 'MappingNotFound', machineUid, userUid, kinds: missing }]
        : [];

      return {
        stream: mappingStream(context.gatewayUid),
        expected: mappingRevision(state),
        events: removed.map((m): MappingRemoved => ({
          type: 'MappingRemoved',
          data: { ...m, by: command.by, at: command.at },
        })),
        warnings,
      };
    }),
  );
};
