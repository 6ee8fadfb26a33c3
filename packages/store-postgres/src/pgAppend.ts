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

/** The statement that moves the stream's revision, per expectation. */
const claimRevisions = (
  schema: string,
  expected: ExpectedRevision,
): { readonly sql: string; readonly extra: ReadonlyArray<number> } => {
  switch (expected) {
    case 'any':
      // Atomic upsert: racing writers queue on the row and each adds its
      // events after the last one's.
      return {
        sql: `INSERT INTO ${schema}.streams AS s (stream, revision)
              VALUES ($1, $2::integer - 1)
              ON CONFLICT (stream) DO UPDATE SET revision = s.revision + $2::integer
              RETURNING revision`,
        extra: [],
      };
    case 'no-stream':
      // ON CONFLICT waits for a racing creator: if it commits, nothing is
      // returned here, which is the conflict.
      return {
        sql: `INSERT INTO ${schema}.streams (stream, revision)
              VALUES ($1, $2::integer - 1)
              ON CONFLICT (stream) DO NOTHING RETURNING revision`,
        extra: [],
      };
    case 'stream-exists':
      return {
        sql: `UPDATE ${schema}.streams SET revision = revision + $2::integer
              WHERE stream = $1 RETURNING revision`,
        extra: [],
      };
    default:
      // The UPDATE waits for a racing writer's row lock, then re-checks
      // the revision on the row it committed.
      return {
        sql: `UPDATE ${schema}.streams SET revision = revision + $2::integer
              WHERE stream = $1 AND revision = $3 RETURNING revision`,
        extra: [expected],
      };
  }
};

const insertEvents = (schema: string, channel: string) => `
  WITH written AS (
    INSERT INTO ${schema}.events
      (position, transaction_id, stream, revision, type, data, recorded_at)
    SELECT (pg_current_xact_id()::text::bigint << 20) + (x.i - 1),
           pg_current_xact_id(), $1, $2 + (x.i - 1)::integer, x.t, x.d::json,
           $5::timestamptz
    FROM unnest($3::text[], $4::text[]) WITH ORDINALITY AS x(t, d, i)
    RETURNING position
  )
  SELECT max(position)::text AS position, pg_notify('${channel}', '') AS woken
  FROM written`;

/** Thrown inside the transaction to roll it back as a conflict. */
class Conflict extends Error {}

/**
 * Writes one append inside a transaction the caller opened on `client`:
 * moves the stream's revision if the expectation holds, inserts the events
 * and sends the wake-up notification (delivered at commit). Resolves to
 * the last revision and position, or rejects; a refused expectation
 * rejects with a conflict the caller recognises with {@link isConflict}.
 *
 * Exposed for tests that hold a transaction open across other appends.
 */
export const writeInTransaction = async (
  client: ClientBase,
  schema: string,
  channel: string,
  request: AppendRequest,
  data: ReadonlyArray<string>,
): Promise<AppendResult> => {
  const n = request.events.length;
  const claim = claimRevisions(schema, request.expected);
  const claimed = await client.query<{ revision: number }>(claim.sql, [
    request.stream,
    n,
    ...claim.extra,
  ]);
  const last = claimed.rows[0]?.revision;
  if (last === undefined) {
    throw new Conflict('wrong expected revision');
  }
  const base = last - n + 1;
  const inserted = await client.query<{ position: string | null }>(
    insertEvents(schema, channel),
    [
      request.stream,
      base,
      request.events.map((e) => e.type),
      data,
      request.recordedAt,
    ],
  );

  return {
    revision: last,
    position: BigInt(inserted.rows[0]?.position ?? '0'),
  };
};

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
 * The append of the store: one transaction on one pooled connection. The
 * expectation is checked by the statement that moves the stream's
 * revision, which holds the stream's row lock to commit, so two writers at
 * one revision cannot both pass; a unique violation on (stream, revision)
 * is reported as the same conflict. A lost connection is
 * `StoreUnavailable`.
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
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await writeInTransaction(
        client,
        schema,
        channel,
        request,
        encoded.right,
      );
      await client.query('COMMIT');
      client.release();

      return E.right(result);
    } catch (cause) {
      const rolledBack = await client.query('ROLLBACK').then(
        () => true,
        () => false,
      );
      client.release(rolledBack ? undefined : true);
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
