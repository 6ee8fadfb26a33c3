import type {
  AppendResult,
  ExpectedRevision,
  NewEvent,
  StoreError,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { ClientBase, Pool } from 'pg';
import { isUniqueViolation, storeErrorOf } from './pgErrors.js';

/** The most events one append may hold: the low 20 bits of a position. */
export const maxEventsPerAppend = 2 ** 20;

/** What one append writes, encoded. */
export interface AppendRequest {
  readonly stream: string;
  readonly events: ReadonlyArray<NewEvent>;
  readonly expected: ExpectedRevision;
  readonly recordedAt: string;
}

// Serialised before the transaction starts, so data that is not JSON fails
// the whole append before anything is written.
const encode = (
  events: ReadonlyArray<NewEvent>,
): E.Either<StoreError, ReadonlyArray<string>> =>
  E.tryCatch(
    () =>
      events.map((e, i) => {
        const text: unknown = JSON.stringify(e.data);
        if (typeof text !== 'string') {
          throw new TypeError(`event ${i} has no JSON data`);
        }

        return text;
      }),
    () => ({ _tag: 'StoreFailed', message: 'event data is not plain JSON' }),
  );

type Expectation = 'any' | 'no-stream' | 'stream-exists' | 'revision';

const expectationOf = (expected: ExpectedRevision): Expectation =>
  typeof expected === 'number' ? 'revision' : expected;

/**
 * The statement that moves the stream's revision, per expectation ($1 the
 * stream, $2 the number of events, $6 the expected revision).
 */
const claimRevisions = (schema: string, expectation: Expectation): string => {
  switch (expectation) {
    case 'any':
      // Atomic upsert: racing writers queue on the row and each adds its
      // events after the last one's.
      return `INSERT INTO ${schema}.streams AS s (stream, revision)
              VALUES ($1, $2::integer - 1)
              ON CONFLICT (stream) DO UPDATE SET revision = s.revision + $2::integer
              RETURNING revision`;
    case 'no-stream':
      // ON CONFLICT waits for a racing creator: if it commits, nothing is
      // returned here, which is the conflict.
      return `INSERT INTO ${schema}.streams (stream, revision)
              VALUES ($1, $2::integer - 1)
              ON CONFLICT (stream) DO NOTHING RETURNING revision`;
    case 'stream-exists':
      return `UPDATE ${schema}.streams SET revision = revision + $2::integer
              WHERE stream = $1 RETURNING revision`;
    case 'revision':
      // The UPDATE waits for a racing writer's row lock, then re-checks
      // the revision on the row it committed.
      return `UPDATE ${schema}.streams SET revision = revision + $2::integer
              WHERE stream = $1 AND revision = $6::integer RETURNING revision`;
  }
};

// One statement claims the revisions, inserts the events and sends the
// wake-up (delivered at commit): one round trip, atomic on its own (or
// inside a caller's transaction). A refused expectation claims no row, so
// nothing is inserted and `revision` is null. $3 and $4 are the types and
// the data (JSON text), $5 the recording time.
const appendSql = (
  schema: string,
  channel: string,
  expectation: Expectation,
): string => `
  WITH claimed AS (${claimRevisions(schema, expectation)}),
  written AS (
    INSERT INTO ${schema}.events
      (position, transaction_id, stream, revision, type, data, recorded_at)
    SELECT (pg_current_xact_id()::text::bigint << 20) + (x.i - 1),
           pg_current_xact_id(), $1,
           (c.revision - $2::integer + x.i)::integer, x.t, x.d::json,
           $5::timestamptz
    FROM claimed AS c,
         unnest($3::text[], $4::text[]) WITH ORDINALITY AS x(t, d, i)
    RETURNING position
  ),
  top AS (SELECT max(position) AS position FROM written)
  SELECT (SELECT revision FROM claimed) AS revision,
         top.position::text AS position,
         CASE WHEN top.position IS NULL THEN NULL
              ELSE pg_notify('${channel}', '') END AS woken
  FROM top`;

// A short stable name per statement text: the driver prepares a named
// statement once per connection and then only binds and executes it, so
// the server plans it once per connection, not per append.
const statementName = (text: string): string => {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }

  return `rotor_append_${(h >>> 0).toString(16)}_${text.length}`;
};

interface Prepared {
  readonly name: string;
  readonly text: string;
}

const statements = new Map<string, Prepared>();

const statementFor = (
  schema: string,
  channel: string,
  expectation: Expectation,
): Prepared => {
  const key = `${schema}\u0000${channel}\u0000${expectation}`;
  let found = statements.get(key);
  if (found === undefined) {
    const text = appendSql(schema, channel, expectation);
    found = { name: statementName(text), text };
    statements.set(key, found);
  }

  return found;
};

interface Queryable {
  readonly query: ClientBase['query'];
}

/** Thrown to report a refused expectation as a conflict. */
class Conflict extends Error {}

// Runs the append statement; rejects with a Conflict when the expectation
// was refused.
const writeWith = async (
  target: Queryable,
  schema: string,
  channel: string,
  request: AppendRequest,
  data: ReadonlyArray<string>,
): Promise<AppendResult> => {
  const { name, text } = statementFor(
    schema,
    channel,
    expectationOf(request.expected),
  );
  const values: unknown[] = [
    request.stream,
    request.events.length,
    request.events.map((e) => e.type),
    data,
    request.recordedAt,
  ];
  if (typeof request.expected === 'number') {
    values.push(request.expected);
  }
  const result = await target.query<{
    revision: number | null;
    position: string | null;
  }>({ name, text, values });
  const row = result.rows[0];
  if (row === undefined || row.revision === null) {
    throw new Conflict('wrong expected revision');
  }

  return { revision: row.revision, position: BigInt(row.position ?? '0') };
};

/**
 * Writes one append with the statement the store uses, inside a
 * transaction the caller opened on `client`: moves the stream's revision
 * if the expectation holds, inserts the events and sends the wake-up
 * notification (delivered at commit). Resolves to the last revision and
 * position, or rejects; a refused expectation rejects with a conflict the
 * caller recognises with {@link isConflict}.
 *
 * Exposed for tests that hold a transaction open across other appends.
 */
export const writeInTransaction = (
  client: ClientBase,
  schema: string,
  channel: string,
  request: AppendRequest,
  data: ReadonlyArray<string>,
): Promise<AppendResult> => writeWith(client, schema, channel, request, data);

/** Whether a rejection of {@link writeInTransaction} is a conflict. */
export const isConflict = (cause: unknown): boolean =>
  cause instanceof Conflict || isUniqueViolation(cause);

const satisfies = (expected: ExpectedRevision, last: number | undefined) => {
  switch (expected) {
    case 'any':
      return true;
    case 'no-stream':
      return last === undefined;
    case 'stream-exists':
      return last !== undefined;
    default:
      return last === expected;
  }
};

const currentRevision = async (
  pool: Pool,
  schema: string,
  stream: string,
): Promise<number | undefined> =>
  (
    await pool.query<{ revision: number }>(
      `SELECT revision FROM ${schema}.streams WHERE stream = $1`,
      [stream],
    )
  ).rows[0]?.revision;

const wrongRevision = (
  request: AppendRequest,
  actual: number | undefined,
): StoreError => ({
  _tag: 'WrongExpectedRevision',
  stream: request.stream,
  expected: request.expected,
  actual: actual ?? 'no-stream',
});

// No events: only the expectation is checked; the result names the
// stream's last revision (-1 when it has none) and the last position.
const checkOnly = async (
  pool: Pool,
  schema: string,
  request: AppendRequest,
): Promise<E.Either<StoreError, AppendResult>> => {
  const last = await currentRevision(pool, schema, request.stream);
  if (!satisfies(request.expected, last)) {
    return E.left(wrongRevision(request, last));
  }
  const top = await pool.query<{ position: string }>(
    `SELECT coalesce(max(position), 0)::text AS position FROM ${schema}.events`,
  );

  return E.right({
    revision: last ?? -1,
    position: BigInt(top.rows[0]?.position ?? '0'),
  });
};

/**
 * The append of the store: one statement (a named prepared statement, so
 * one round trip and its own transaction) on a pooled connection. The
 * expectation is checked by the part that moves the stream's revision,
 * which holds the stream's row lock to commit, so two writers at one
 * revision cannot both pass; a unique violation on (stream, revision) is
 * reported as the same conflict. Only a refused append reads the stream's
 * revision afterwards, to name it. A lost connection is `StoreUnavailable`.
 */
export const appendEvents = async (
  pool: Pool,
  schema: string,
  channel: string,
  request: AppendRequest,
): Promise<E.Either<StoreError, AppendResult>> => {
  if (request.events.length > maxEventsPerAppend) {
    return E.left({
      _tag: 'StoreFailed',
      message: `an append holds at most ${maxEventsPerAppend} events`,
    });
  }
  const encoded = encode(request.events);
  if (E.isLeft(encoded)) {
    return encoded;
  }
  try {
    if (request.events.length === 0) {
      return await checkOnly(pool, schema, request);
    }
    try {
      // One statement, so one round trip and its own transaction.
      const result = await writeWith(
        pool,
        schema,
        channel,
        request,
        encoded.right,
      );

      return E.right(result);
    } catch (cause) {
      if (!isConflict(cause)) {
        throw cause;
      }
    }
    const actual = await currentRevision(pool, schema, request.stream);

    return E.left(wrongRevision(request, actual));
  } catch (cause) {
    return E.left(storeErrorOf(cause));
  }
};
