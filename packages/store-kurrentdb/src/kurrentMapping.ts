import type {
  AppendResult,
  ExpectedRevision,
  RecordedEvent,
} from '@rotor/core';
import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  type AppendResult as KurrentAppendResult,
  type AppendStreamState,
  type CurrentStreamState,
  type Position,
  type ReadPosition,
  type ReadRevision,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';

/**
 * The client's `streamState` for an expected revision: a revision becomes
 * the bigint of the last event, the three states their constants.
 *
 * @category mapping
 */
export const streamStateOf = (
  expected: ExpectedRevision,
): AppendStreamState => {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no-stream':
      return NO_STREAM;
    case 'stream-exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
};

/**
 * The port's `actual` of a conflict, from the client's current stream
 * state.
 *
 * @category mapping
 */
export const actualRevisionOf = (
  state: CurrentStreamState,
): number | 'no-stream' => (state === NO_STREAM ? 'no-stream' : Number(state));

/**
 * A position in `$all` as the port's bigint: its commit position.
 *
 * @category mapping
 */
// TODO(5): confirm with a server that each event of a multi-event append has
// its own commit position; the contract suite's order checks depend on it.
export const positionToBigint = (position: Position): bigint => position.commit;

/**
 * Where a read of `$all` starts for the port's `after` (exclusive): the
 * start when absent or 0, else the position whose commit and prepare are
 * both `after`. The server starts at that event inclusive, so readers drop
 * events at or before `after`.
 *
 * @category mapping
 */
export const fromPositionOf = (after: bigint | undefined): ReadPosition =>
  after === undefined || after <= 0n
    ? START
    : { commit: after, prepare: after };

/** Where a read of a stream starts. */
export const fromRevisionOf = (
  fromRevision: number | undefined,
): ReadRevision =>
  fromRevision === undefined || fromRevision <= 0
    ? START
    : BigInt(fromRevision);

/**
 * The port's result of an append, from the client's: the last revision
 * written and its commit position.
 *
 * @category mapping
 */
export const appendResultOf = (result: KurrentAppendResult): AppendResult => ({
  revision: Number(result.nextExpectedRevision),
  position:
    result.position === undefined ? 0n : positionToBigint(result.position),
});

/**
 * The port's event for a resolved event of a read or subscription, with the
 * stream name shown to the caller; `undefined` for what the port does not
 * carry: a link without its event, binary data, system events (`$` types).
 *
 * @category mapping
 */
export const recordedOf = (
  resolved: ResolvedEvent,
  streamName: (stored: string) => string | undefined = (s) => s,
): RecordedEvent | undefined => {
  const event = resolved.event;
  if (event === undefined || !event.isJson || event.type.startsWith('$')) {
    return undefined;
  }
  const stream = streamName(event.streamId);
  if (stream === undefined) {
    return undefined;
  }
  const position = event.position?.commit ?? resolved.commitPosition ?? 0n;

  return {
    stream,
    revision: Number(event.revision),
    position,
    type: event.type,
    data: event.data,
    recordedAt: event.created.toISOString(),
  };
};
