import { join } from 'node:path';
import { startThrowawayPostgres } from '@rotor/testkit';
import { openPostgresEventStore } from '@rotor/store-postgres';
import pg from 'pg';
import {
  pgRawTarget,
  sqliteRawTarget,
  sqliteStoreTarget,
  storeTarget,
  type AppendTarget,
} from './appendTargets.js';

export type { AppendTarget } from './appendTargets.js';

/** A store and its raw peer, ready to race. */
export interface AppendSides {
  readonly name: string;
  readonly rotor: AppendTarget;
  readonly raw: AppendTarget;
  readonly note: string;
}

const message = (e: unknown): string =>
  e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);

/**
 * The sides of every store that can run here: SQLite always; PostgreSQL
 * when the testkit can start a throw-away server (else why not, in
 * `skipped`). `stop` ends the server it started.
 */
export const appendTargets = async (
  dir: string,
): Promise<{
  readonly ready: ReadonlyArray<AppendSides>;
  readonly skipped: ReadonlyArray<string>;
  readonly stop: () => Promise<void>;
}> => {
  const ready: AppendSides[] = [
    {
      name: 'SQLite',
      rotor: await sqliteStoreTarget(join(dir, 'store.db')),
      raw: sqliteRawTarget(join(dir, 'raw.db')),
      note: 'both WAL with synchronous=FULL, one IMMEDIATE transaction per event; raw inserts only the event row, the store also checks and moves the stream revision',
    },
  ];
  const skipped: string[] = [];
  let stop = () => Promise.resolve();
  try {
    const server = await startThrowawayPostgres();
    const pool = new pg.Pool({
      connectionString: server.connectionString,
      max: 2,
    });
    // The server's stop ends idle connections; that is expected here.
    pool.on('error', () => undefined);
    const opened = await openPostgresEventStore({
      connectionString: server.connectionString,
    });
    if (opened._tag === 'Left') {
      await pool.end();
      await server.stop();
      skipped.push(
        `PostgreSQL: the store did not open: ${JSON.stringify(opened.left)}`,
      );
    } else {
      ready.push({
        name: 'PostgreSQL',
        rotor: storeTarget(opened.right),
        raw: await pgRawTarget(pool),
        note: 'a throw-away local cluster (testkit); raw: BEGIN, INSERT, COMMIT per event on one connection',
      });
      stop = async () => {
        await pool.end();
        await server.stop();
      };
    }
  } catch (e) {
    skipped.push(`PostgreSQL: no server could be started (${message(e)})`);
  }

  return { ready, skipped, stop };
};
