import type { ReadAllOptions, RecordedEvent } from '@rotor/core';
import type { Pool } from 'pg';
import { asStoreError, storeErrorException } from './pgErrors.js';

/** How many rows one query reads; reads page so nothing loads it all. */
export const pageSize = 500;

/** An events row as selected. */
interface EventRow {
  readonly kind: 'e' | 't';
  readonly position: string | null;
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: unknown;
  readonly recorded_at: Date;
}

/** One page of a global read, and how far it looked. */
export interface AllPage {
  readonly events: ReadonlyArray<RecordedEvent>;
  /** Resume strictly after this position: nothing at or before it is left. */
  readonly scannedTo: bigint;
  /** Whether the page was full, so more may follow at once. */
  readonly more: boolean;
}

const toRecorded = (row: EventRow): RecordedEvent => ({
  stream: row.stream,
  revision: row.revision,
  position: BigInt(row.position ?? '0'),
  type: row.type,
  data: row.data,
  recordedAt: row.recorded_at.toISOString(),
});

const columns =
  "'e' AS kind, position::text AS position, stream, revision, type, data, recorded_at";

// One statement, so one snapshot: the page holds only events whose
// transaction is older than every transaction still running (they are
// final, and anything committed later sorts after them), and the 't' row
// says how far such final events reach, so a filtered reader resumes past
// the rows it skipped instead of rescanning them on every poll.
const allPageSql = (schema: string) => `
  WITH bound AS MATERIALIZED (
    SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin
  ),
  page AS MATERIALIZED (
    SELECT 'e' AS kind, position AS pos, stream, revision, type, data,
           recorded_at
    FROM ${schema}.events
    WHERE position > $1::bigint
      AND transaction_id < (SELECT xmin FROM bound)
      AND ($2::text[] IS NULL OR stream ^@ ANY ($2::text[]))
    ORDER BY position LIMIT $3
  )
  SELECT kind, pos::text AS position, stream, revision, type, data,
         recorded_at
  FROM (
    SELECT * FROM page
    UNION ALL
    SELECT 't', (
      SELECT max(position) FROM ${schema}.events
      WHERE transaction_id < (SELECT xmin FROM bound)
    ), NULL, NULL, NULL, NULL, NULL
  ) AS found
  ORDER BY kind, pos`;

/** The paged queries of an open store. */
export const prepareQueries = (pool: Pool, schema: string) => {
  const allSql = allPageSql(schema);
  const streamSql = `SELECT ${columns} FROM ${schema}.events
    WHERE stream = $1 AND revision >= $2 ORDER BY revision LIMIT $3`;

  return {
    streamPage: async (
      stream: string,
      from: number,
    ): Promise<ReadonlyArray<RecordedEvent>> =>
      (
        await pool.query<EventRow>(streamSql, [stream, from, pageSize])
      ).rows.map(toRecorded),
    allPage: async (
      after: bigint,
      prefixes: ReadonlyArray<string> | undefined,
    ): Promise<AllPage> => {
      if (prefixes !== undefined && prefixes.length === 0) {
        return { events: [], scannedTo: after, more: false };
      }
      const rows = (
        await pool.query<EventRow>(allSql, [
          after.toString(),
          prefixes === undefined ? null : [...prefixes],
          pageSize,
        ])
      ).rows;
      const events = rows.filter((r) => r.kind === 'e').map(toRecorded);
      const last = events.at(-1)?.position;
      if (events.length === pageSize && last !== undefined) {
        return { events, scannedTo: last, more: true };
      }
      const topText = rows.find((r) => r.kind === 't')?.position ?? null;
      const top = topText === null ? after : BigInt(topText);

      return { events, scannedTo: top > after ? top : after, more: false };
    },
  };
};

/** The queries of an open store. */
export type Queries = ReturnType<typeof prepareQueries>;

const guarded = async <T>(
  isClosed: () => boolean,
  read: () => Promise<T>,
): Promise<T> => {
  if (isClosed()) {
    throw storeErrorException({
      _tag: 'StoreUnavailable',
      message: 'the store is closed',
    });
  }
  try {
    return await read();
  } catch (cause) {
    throw storeErrorException(asStoreError(cause));
  }
};

/** `readStream` in pages of revisions. */
export async function* readStreamPaged(
  queries: Queries,
  isClosed: () => boolean,
  stream: string,
  fromRevision = 0,
): AsyncGenerator<RecordedEvent> {
  let next = Math.max(0, fromRevision);
  for (;;) {
    const page = await guarded(isClosed, () =>
      queries.streamPage(stream, next),
    );
    yield* page;
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) {
      return;
    }
    next = last.revision + 1;
  }
}

/**
 * `readAll` in pages of global positions. It returns only final events
 * (see the schema): an append still being committed by another connection
 * appears in a later read, never before an event already returned.
 */
export async function* readAllPaged(
  queries: Queries,
  isClosed: () => boolean,
  options: ReadAllOptions = {},
): AsyncGenerator<RecordedEvent> {
  let after = options.after ?? 0n;
  for (;;) {
    const page = await guarded(isClosed, () =>
      queries.allPage(after, options.streamPrefixes),
    );
    yield* page.events;
    if (!page.more) {
      return;
    }
    after = page.scannedTo;
  }
}
