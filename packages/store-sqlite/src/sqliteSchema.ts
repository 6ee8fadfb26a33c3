import type { StoreError } from '@rotor/core';
import type Database from 'better-sqlite3';
import * as E from 'fp-ts/lib/Either.js';
import { storeErrorOf } from './sqliteErrors.js';

/** One step of the schema, applied once, in order. */
interface Migration {
  readonly version: number;
  readonly sql: string;
}

// Append-only: a released migration is never edited, a change is a new one.
const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    sql: `
      CREATE TABLE events (
        position    INTEGER PRIMARY KEY AUTOINCREMENT,
        stream      TEXT    NOT NULL,
        revision    INTEGER NOT NULL CHECK (revision >= 0),
        type        TEXT    NOT NULL,
        data        TEXT    NOT NULL CHECK (json_valid(data)),
        recorded_at TEXT    NOT NULL,
        UNIQUE (stream, revision)
      );
      CREATE TABLE streams (
        stream   TEXT    PRIMARY KEY,
        revision INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
];

/** The schema version this code writes and reads. @category model */
export const schemaVersion = migrations.length;

/**
 * Brings a database to {@link schemaVersion} in one IMMEDIATE transaction,
 * so two processes opening one new file do not both migrate it. A file
 * written by a newer rotor is refused rather than misread.
 */
export const migrate = (
  db: Database.Database,
  appliedAt: string,
): E.Either<StoreError, number> =>
  E.flatten(
    E.tryCatch(
      () =>
        db
          .transaction((): E.Either<StoreError, number> => {
            db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
            version    INTEGER PRIMARY KEY,
            applied_at TEXT    NOT NULL
          )`);
            const row = db
              .prepare<[], { v: number | null }>(
                'SELECT max(version) AS v FROM schema_version',
              )
              .get();
            const from = row?.v ?? 0;
            if (from > schemaVersion) {
              return E.left({
                _tag: 'StoreFailed',
                message: `the database has schema version ${from}; this rotor knows up to ${schemaVersion}`,
              });
            }
            const record = db.prepare<[number, string]>(
              'INSERT INTO schema_version (version, applied_at) VALUES (?, ?)',
            );
            for (const m of migrations.filter((m) => m.version > from)) {
              db.exec(m.sql);
              record.run(m.version, appliedAt);
            }

            return E.right(schemaVersion);
          })
          .immediate(),
      storeErrorOf,
    ),
  );
