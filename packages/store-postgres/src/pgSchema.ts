import type { StoreError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { Pool } from 'pg';
import { storeErrorOf } from './pgErrors.js';

/** One step of the schema, applied once, in order. */
interface Migration {
  readonly version: number;
  readonly sql: (schema: string) => string;
}

// Append-only: a released migration is never edited, a change is a new one.
//
// `position` orders every event globally. It is the writing transaction's
// id (xid8) times 2^20 plus the event's index in its append, so positions
// sort exactly as (transaction id, index). Readers take only rows whose
// transaction is older than the oldest one still running
// (pg_snapshot_xmin): those are final, and every later commit gets a
// larger position, so a cursor never passes an event committed later.
const migrations: ReadonlyArray<Migration> = [
  {
    version: 1,
    sql: (s) => `
      CREATE TABLE ${s}.streams (
        stream   text    PRIMARY KEY,
        revision integer NOT NULL CHECK (revision >= 0)
      );
      CREATE TABLE ${s}.events (
        position       bigint      PRIMARY KEY,
        transaction_id xid8        NOT NULL,
        stream         text        NOT NULL,
        revision       integer     NOT NULL CHECK (revision >= 0),
        type           text        NOT NULL,
        data           json        NOT NULL,
        recorded_at    timestamptz NOT NULL,
        UNIQUE (stream, revision)
      );
    `,
  },
];

/** The schema version this code writes and reads. @category model */
export const schemaVersion = migrations.length;

/** Whether a name can be a schema name unquoted: lower case, digits, `_`. */
export const isSchemaName = (name: string): boolean =>
  /^[a-z_][a-z0-9_]{0,62}$/.test(name);

/**
 * Brings the store's schema to {@link schemaVersion} in one transaction
 * under an advisory lock, so processes opening one new database at once do
 * not both migrate it. A schema written by a newer rotor is refused rather
 * than misread.
 */
export const migrate = async (
  pool: Pool,
  schema: string,
): Promise<E.Either<StoreError, number>> => {
  let client;
  try {
    client = await pool.connect();
  } catch (cause) {
    return E.left(storeErrorOf(cause));
  }
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
      `rotor.migrate.${schema}`,
    ]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_version (
      version    integer     PRIMARY KEY,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const row = await client.query<{ v: number | null }>(
      `SELECT max(version) AS v FROM ${schema}.schema_version`,
    );
    const from = row.rows[0]?.v ?? 0;
    if (from > schemaVersion) {
      await client.query('ROLLBACK');
      client.release();

      return E.left({
        _tag: 'StoreFailed',
        message: `the schema ${schema} has version ${from}; this rotor knows up to ${schemaVersion}`,
      });
    }
    for (const m of migrations.filter((m) => m.version > from)) {
      await client.query(m.sql(schema));
      await client.query(
        `INSERT INTO ${schema}.schema_version (version) VALUES ($1)`,
        [m.version],
      );
    }
    await client.query('COMMIT');
    client.release();

    return E.right(schemaVersion);
  } catch (cause) {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release(true);

    return E.left(storeErrorOf(cause));
  }
};
