import { type EventStore, type NewEvent } from '@rotor/core';
import { openSqliteEventStore } from '@rotor/store-sqlite';
import Database from 'better-sqlite3';
import type pg from 'pg';

/** Something that writes one job's events, one event per transaction. */
export interface AppendTarget {
  readonly appendJob: (
    stream: string,
    events: ReadonlyArray<NewEvent>,
  ) => Promise<void>;
  readonly close: () => Promise<void>;
}

/** As the engine appends: one event at a time, at the expected revision. */
export const storeTarget = (store: EventStore): AppendTarget => ({
  appendJob: async (stream, events) => {
    for (const [i, e] of events.entries()) {
      const r = await store.append(stream, [e], i === 0 ? 'no-stream' : i - 1);
      if (r._tag === 'Left') {
        throw new Error(JSON.stringify(r.left));
      }
    }
  },
  close: () => store.close(),
});

/** rotor's SQLite store in a new file. */
export const sqliteStoreTarget = async (
  path: string,
): Promise<AppendTarget> => {
  const opened = await openSqliteEventStore({ path });
  if (opened._tag === 'Left') {
    throw new Error(JSON.stringify(opened.left));
  }

  return storeTarget(opened.right);
};

/**
 * The raw driver: the same rows, each in its own IMMEDIATE transaction, with
 * the store's pragmas (WAL, synchronous=FULL) and a plain events table.
 */
export const sqliteRawTarget = (path: string): AppendTarget => {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE events (
    position INTEGER PRIMARY KEY AUTOINCREMENT, stream TEXT NOT NULL,
    revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL,
    recorded_at TEXT NOT NULL, UNIQUE (stream, revision))`);
  const insert = db.prepare(
    'INSERT INTO events (stream, revision, type, data, recorded_at) VALUES (?, ?, ?, ?, ?)',
  );
  const one = db.transaction(
    (stream: string, revision: number, e: NewEvent) => {
      insert.run(
        stream,
        revision,
        e.type,
        JSON.stringify(e.data),
        new Date().toISOString(),
      );
    },
  );

  return {
    appendJob: async (stream, events) => {
      for (const [i, e] of events.entries()) {
        one.immediate(stream, i, e);
        // The store's append is async too: give the loop the same turn.
        await Promise.resolve();
      }
    },
    close: () => {
      db.close();

      return Promise.resolve();
    },
  };
};

/** The raw pg driver: the same rows, each in its own transaction. */
export const pgRawTarget = async (pool: pg.Pool): Promise<AppendTarget> => {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_raw_events (
    position bigserial PRIMARY KEY, stream text NOT NULL,
    revision integer NOT NULL, type text NOT NULL, data json NOT NULL,
    recorded_at timestamptz NOT NULL, UNIQUE (stream, revision))`);
  const client = await pool.connect();

  return {
    appendJob: async (stream, events) => {
      for (const [i, e] of events.entries()) {
        await client.query('BEGIN');
        await client.query(
          'INSERT INTO bench_raw_events (stream, revision, type, data, recorded_at) VALUES ($1, $2, $3, $4, $5)',
          [stream, i, e.type, JSON.stringify(e.data), new Date().toISOString()],
        );
        await client.query('COMMIT');
      }
    },
    close: () => {
      client.release();

      return Promise.resolve();
    },
  };
};
