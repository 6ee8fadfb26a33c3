import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import {
  GatewayEventCodec,
  JobEventCodec,
  MappingEventCodec,
} from './events.js';
import type { RotorEvent } from './events.js';
import type { ExpectedRevision, RecordedEvent } from './ports.js';

/**
 * A stored event that does not fit its codec: where it is (stream,
 * revision, global position), its type, and what is wrong, as paths and
 * expected types only. The stored value is never included, because a
 * stored value could be a secret written by mistake.
 *
 * @category model
 */
export interface EventDecodeFailed {
  readonly _tag: 'EventDecodeFailed';
  readonly stream: string;
  readonly revision: number;
  readonly position: bigint;
  readonly type: string;
  readonly problems: ReadonlyArray<string>;
}

type AnyCodec = t.Decoder<unknown, RotorEvent>;

const codecs: ReadonlyMap<string, AnyCodec> = new Map(
  [
    ...MappingEventCodec.types,
    ...JobEventCodec.types,
    ...GatewayEventCodec.types,
  ].map((codec): [string, AnyCodec] => [codec.name, codec]),
);

const knownTypes = [...codecs.keys()].join(', ');

// Unions and intersections add a context entry per member ("0", "1", …)
// that is no part of the path a reader would follow.
const isCombinator = (entry: t.ContextEntry | undefined): boolean => {
  const tag = (entry?.type as { readonly _tag?: string } | undefined)?._tag;

  return tag === 'UnionType' || tag === 'IntersectionType';
};

const objectTags = new Set([
  'InterfaceType',
  'PartialType',
  'IntersectionType',
  'ExactType',
  'StrictType',
]);

// Object codecs are named after their whole shape; "object" reads better and
// the fields' own problems follow once the value is an object.
const expectedName = (type: t.Decoder<unknown, unknown> | undefined) => {
  const tag = (type as { readonly _tag?: string } | undefined)?._tag;
  if (tag !== undefined && objectTags.has(tag)) {
    return 'object';
  }

  return tag === 'ArrayType' ? 'array' : (type?.name ?? 'unknown');
};

const describe = (error: t.ValidationError): string => {
  const path = error.context
    .filter((entry, i) => i > 0 && !isCombinator(error.context[i - 1]))
    .map((entry) => entry.key)
    .join('.');
  const expected = expectedName(error.context.at(-1)?.type);
  const where = path === '' ? '(event)' : path;

  return error.value === undefined
    ? `${where}: missing, expected ${expected}`
    : `${where}: expected ${expected}`;
};

const problemsOf = (errors: t.Errors): ReadonlyArray<string> => [
  ...new Set(errors.map(describe)),
];

/**
 * Decodes one stored event into a {@link RotorEvent}. The codec is picked
 * by the stored type, so the problems name that event's fields; an unknown
 * type is a failure listing the known ones.
 *
 * @category codecs
 */
export const decodeRecordedEvent = (
  recorded: RecordedEvent,
): E.Either<EventDecodeFailed, RotorEvent> => {
  const fail = (problems: ReadonlyArray<string>): EventDecodeFailed => ({
    _tag: 'EventDecodeFailed',
    stream: recorded.stream,
    revision: recorded.revision,
    position: recorded.position,
    type: recorded.type,
    problems,
  });
  const codec = codecs.get(recorded.type);
  if (codec === undefined) {
    return E.left(fail([`type: expected one of ${knownTypes}`]));
  }

  return E.mapLeft((errors: t.Errors) => fail(problemsOf(errors)))(
    codec.decode({ type: recorded.type, data: recorded.data }),
  );
};

/**
 * A decoded event with the place it was stored at.
 *
 * @category model
 */
export interface DecodedEvent {
  readonly recorded: RecordedEvent;
  readonly event: RotorEvent;
}

/**
 * Decodes events as they are read. Yields `right` for each event that
 * decodes; at the first that does not, yields one `left` and stops, so a
 * reader neither skips an event nor crashes.
 *
 * @category codecs
 */
export async function* decodeStream(
  events: AsyncIterable<RecordedEvent>,
): AsyncGenerator<E.Either<EventDecodeFailed, DecodedEvent>> {
  for await (const recorded of events) {
    const decoded = decodeRecordedEvent(recorded);
    if (E.isLeft(decoded)) {
      yield decoded;

      return;
    }
    yield E.right({ recorded, event: decoded.right });
  }
}

/**
 * What {@link replay} folded: the state, and the revision to expect when
 * appending to the stream next (`no-stream` when nothing was read).
 *
 * @category model
 */
export interface Replayed<S> {
  readonly state: S;
  readonly expected: ExpectedRevision;
}

/**
 * Folds a stream of stored events into a state with a pure `evolve`,
 * stopping at the first event that does not decode.
 *
 * @category combinators
 */
export const replay = async <S>(
  events: AsyncIterable<RecordedEvent>,
  initial: S,
  evolve: (state: S, event: RotorEvent) => S,
): Promise<E.Either<EventDecodeFailed, Replayed<S>>> => {
  let state = initial;
  let expected: ExpectedRevision = 'no-stream';
  for await (const decoded of decodeStream(events)) {
    if (E.isLeft(decoded)) {
      return decoded;
    }
    state = evolve(state, decoded.right.event);
    expected = decoded.right.recorded.revision;
  }

  return E.right({ state, expected });
};

/**
 * One paragraph for a human: which event, where, and what is wrong.
 *
 * @category destructors
 */
export const formatDecodeFailure = (failure: EventDecodeFailed): string =>
  `event ${failure.type} at ${failure.stream} revision ` +
  `${failure.revision} (position ${failure.position}) does not decode: ` +
  failure.problems.join('; ');
