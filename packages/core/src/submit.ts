import * as E from 'fp-ts/lib/Either.js';
import { decide } from './decide.js';
import type { DecideError } from './decideErrors.js';
import type { DecideContext, Decision, GatewayCommand } from './decideTypes.js';
import { replay, type EventDecodeFailed } from './decode.js';
import { mappingStream } from './events.js';
import { evolveGateway, initialGatewayState } from './gatewayState.js';
import type { EventStore, StoreError } from './ports.js';

/**
 * Why {@link submitCommand} wrote nothing: the command was refused, the
 * store holds an event that does not decode, or the store failed (a
 * `WrongExpectedRevision` means another writer got there first).
 *
 * @category model
 */
export type SubmitError = DecideError | EventDecodeFailed | StoreError;

/**
 * Runs a command the way every gateway does: folds the gateway's state
 * from its mapping stream and its jobs, decides, and appends what was
 * decided at the expected revision. A command that decides nothing (an
 * existing mapping, a running job) appends nothing and still succeeds.
 *
 * @example
 * ```ts
 * const submitted = await submitCommand(store, command, {
 *   inventory,
 *   gatewayUid,
 * });
 * ```
 *
 * @category effects
 */
export const submitCommand = async (
  store: EventStore,
  command: GatewayCommand,
  context: DecideContext,
): Promise<E.Either<SubmitError, Decision>> => {
  const replayed = await replay(
    store.readAll({
      streamPrefixes: [mappingStream(context.gatewayUid), 'job-'],
    }),
    initialGatewayState(context.gatewayUid),
    evolveGateway,
  );
  if (E.isLeft(replayed)) {
    return replayed;
  }
  const decided = decide(command, replayed.right.state, context);
  if (E.isLeft(decided) || decided.right.events.length === 0) {
    return decided;
  }
  const { stream, events, expected } = decided.right;
  const appended = await store.append(stream, events, expected);

  return E.isLeft(appended) ? appended : decided;
};
