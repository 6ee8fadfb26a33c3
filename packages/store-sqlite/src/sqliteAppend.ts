import type {
  AppendResult,
  ExpectedRevision,
  NewEvent,
  StoreError,
} from '@rotor/core';
import type Database from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import { storeErrorOf } from './sqliteErrors.js';

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

/**
 * The append of the store: the expected revision is checked and every
 * event inserted in one IMMEDIATE transaction, which takes SQLite's write
 * lock at BEGIN, so the revision read is still true when the rows are
 * written, across processes too. Appending no events only checks the
 * expectation and reports the stream's last revision (-1 when it has none)
 * and the store's last position.
 */
export const prepareAppend = (db: Database.Database) => {
  const streamRevision = db
    .prepare<[string], number>('SELECT revision FROM streams WHERE stream = ?')
    .pluck();
  const insertEvent = db
    .prepare<[string, number, string, string, string]>(
      `INSERT INTO events (stream, revision, type, data, recorded_at)
       VALUES (?, ?, ?, ?, ?)`,
    )
    .safeIntegers(true);
  const setRevision = db.prepare<[string, number]>(
    `INSERT INTO streams (stream, revision) VALUES (?, ?)
     ON CONFLICT (stream) DO UPDATE SET revision = excluded.revision`,
  );
  const lastPosition = db
    .prepare<[], bigint>('SELECT coalesce(max(position), 0) FROM events')
    .pluck()
    .safeIntegers(true);

  const write = db.transaction(
    (
      stream: string,
      events: ReadonlyArray<NewEvent>,
      data: ReadonlyArray<string>,
      expected: ExpectedRevision,
      recordedAt: string,
    ): E.Either<StoreError, AppendResult> => {
      const last = streamRevision.get(stream);
      if (!satisfies(expected, last)) {
        return E.left({
          _tag: 'WrongExpectedRevision',
          stream,
          expected,
          actual: last ?? 'no-stream',
        });
      }
      const base = (last ?? -1) + 1;
      let position = lastPosition.get() ?? 0n;
      events.forEach((e, i) => {
        const info = insertEvent.run(
          stream,
          base + i,
          e.type,
          data[i] ?? 'null',
          recordedAt,
        );
        position = BigInt(info.lastInsertRowid);
      });
      const revision = base + events.length - 1;
      if (events.length > 0) {
        setRevision.run(stream, revision);
      }

      return E.right({ revision, position });
    },
  );

  return (
    stream: string,
    events: ReadonlyArray<NewEvent>,
    expected: ExpectedRevision,
    recordedAt: string,
  ): E.Either<StoreError, AppendResult> =>
    E.flatMap(encode(events), (data) =>
      E.flatten(
        E.tryCatch(
          () => write.immediate(stream, events, data, expected, recordedAt),
          storeErrorOf,
        ),
      ),
    );
};
