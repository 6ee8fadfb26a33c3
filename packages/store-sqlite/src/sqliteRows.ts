import type { RecordedEvent } from '@rotor/core';
import type Database from 'better-sqlite3';
import { storeErrorException } from './sqliteErrors.js';

/** An events row as read with safe integers. */
export interface EventRow {
  readonly position: bigint;
  readonly stream: string;
  readonly revision: bigint;
  readonly type: string;
  readonly data: string;
  readonly recorded_at: string;
}

/** One page of a global read, and how far it looked. */
export interface AllPage {
  readonly events: ReadonlyArray<RecordedEvent>;
  /** Resume strictly after this position: nothing at or before it is left. */
  readonly scannedTo: bigint;
  /** Whether the page was full, so more may follow at once. */
  readonly more: boolean;
}

/** How many rows one query reads; reads page so nothing loads it all. */
export const pageSize = 500;

const columns = 'position, stream, revision, type, data, recorded_at';

/** A stored row as the port's event; data that is not JSON is thrown. */
export const toRecorded = (row: EventRow): RecordedEvent => {
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    throw storeErrorException({
      _tag: 'StoreFailed',
      message: `event data at position ${row.position} of stream ${row.stream} is not JSON`,
    });
  }

  return {
    stream: row.stream,
    revision: Number(row.revision),
    position: row.position,
    type: row.type,
    data,
    recordedAt: row.recorded_at,
  };
};

/** The prepared statements of the store, and its paged queries. */
export const prepareQueries = (db: Database.Database) => {
  const streamPage = db
    .prepare<[string, number, number], EventRow>(
      `SELECT ${columns} FROM events WHERE stream = ? AND revision >= ?
       ORDER BY revision LIMIT ?`,
    )
    .safeIntegers(true);
  const lastPosition = db
    .prepare<[], bigint>(
      'SELECT coalesce(max(position), 0) AS position FROM events',
    )
    .pluck()
    .safeIntegers(true);
  const allPages = new Map<number, Database.Statement<unknown[], EventRow>>();

  // With prefixes the query skips rows, so it also reads the last position
  // in the same snapshot: a follower filtering for rare streams then resumes
  // past everything it has looked at instead of rescanning it on each poll.
  const allPageQuery = (count: number) => {
    const cached = allPages.get(count);
    if (cached !== undefined) {
      return cached;
    }
    const filter = Array.from(
      { length: count },
      () => 'substr(stream, 1, length(?)) = ?',
    ).join(' OR ');
    const where = count === 0 ? '' : `AND (${filter})`;
    const statement = db
      .prepare<unknown[], EventRow>(
        `SELECT ${columns} FROM events WHERE position > ? ${where}
         ORDER BY position LIMIT ?`,
      )
      .safeIntegers(true);
    allPages.set(count, statement);

    return statement;
  };

  const readAllPage = db.transaction(
    (after: bigint, prefixes: ReadonlyArray<string> | undefined): AllPage => {
      const list = prefixes ?? [];
      const rows = allPageQuery(list.length).all(
        after,
        ...list.flatMap((p) => [p, p]),
        pageSize,
      );
      const events = rows.map(toRecorded);
      const lastRow = events.at(-1)?.position;
      if (rows.length === pageSize && lastRow !== undefined) {
        return { events, scannedTo: lastRow, more: true };
      }
      const top = lastPosition.get() ?? 0n;

      return { events, scannedTo: top > after ? top : after, more: false };
    },
  );

  return {
    streamPage: (stream: string, from: number) =>
      streamPage.all(stream, from, pageSize).map(toRecorded),
    allPage: (after: bigint, prefixes: ReadonlyArray<string> | undefined) =>
      prefixes !== undefined && prefixes.length === 0
        ? { events: [], scannedTo: after, more: false }
        : readAllPage.deferred(after, prefixes),
    lastPosition: () => lastPosition.get() ?? 0n,
  };
};

/** The queries of an open store. */
export type Queries = ReturnType<typeof prepareQueries>;
