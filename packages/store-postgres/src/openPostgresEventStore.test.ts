import type { EventStore, RecordedEvent } from '@rotor/core';
import { postgresReady, testPostgres } from '@rotor/testkit';
import { collect } from '@rotor/testkit/contract';
import type { TestPostgres } from '@rotor/testkit';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { createServer, type AddressInfo } from 'node:net';
import pg from 'pg';
import {
  afterAll,
  afterEach,
  beforeAll,
  describe,
  expect,
  it,
  vi,
} from 'vitest';
import {
  openPostgresEventStore,
  type PostgresEventStoreOptions,
} from './openPostgresEventStore.js';
import { writeInTransaction } from './pgAppend.js';
import { storeErrorMessage } from './pgErrors.js';

const havePostgres = postgresReady();

let server: TestPostgres;
let admin: pg.Pool;
let schema = '';
let count = 0;
const opened: EventStore[] = [];

beforeAll(async () => {
  if (!havePostgres) {
    return;
  }
  server = await testPostgres();
  admin = new pg.Pool({ connectionString: server.connectionString, max: 4 });
  admin.on('error', () => undefined);
});
afterAll(async () => {
  if (!havePostgres) {
    return;
  }
  await admin.end();
  await server.stop();
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
});

const nextSchema = () => {
  schema = `unit_${process.pid}_${++count}`;

  return schema;
};

const open = async (
  options: Partial<PostgresEventStoreOptions> = {},
): Promise<EventStore> => {
  const result = await openPostgresEventStore({
    connectionString: server.connectionString,
    schema,
    ...options,
  } as PostgresEventStoreOptions);
  if (isLeft(result)) {
    throw new Error(`${result.left._tag}: ${storeErrorMessage(result.left)}`);
  }
  opened.push(result.right);

  return result.right;
};

const numbered = (n: number, tag = 'e') =>
  Array.from({ length: n }, (_, i) => ({ type: 'N', data: { tag, i } }));

const closedPort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));

  return port;
};

describe.runIf(havePostgres)('openPostgresEventStore', () => {
  it('reports an unreachable server as StoreUnavailable', async () => {
    nextSchema();
    const port = await closedPort();
    const result = await openPostgresEventStore({
      connectionString: `postgres://rotor:not-a-secret@127.0.0.1:${port}/rotor`,
    });
    expect(isLeft(result) && result.left).toMatchObject({
      _tag: 'StoreUnavailable',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(isLeft(result) && storeErrorMessage(result.left)).not.toContain(
      'not-a-secret',
    );
  });

  it('migrates once, records schema 1, and refuses a newer schema', async () => {
    nextSchema();
    const [a, b] = await Promise.all([open(), open()]);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    const versions = await admin.query(
      `SELECT version FROM ${schema}.schema_version`,
    );
    expect(versions.rows).toEqual([{ version: 1 }]);

    await admin.query(
      `INSERT INTO ${schema}.schema_version VALUES (99, now())`,
    );
    const newer = await openPostgresEventStore({
      connectionString: server.connectionString,
      schema,
    });
    expect(isLeft(newer) && newer.left).toMatchObject({
      _tag: 'StoreFailed',
      message: expect.stringContaining('version 99'),
    });
  });

  it('refuses a schema name that is not a plain identifier', async () => {
    nextSchema();
    const result = await openPostgresEventStore({
      connectionString: server.connectionString,
      schema: 'x; DROP TABLE y',
    });
    expect(isLeft(result) && result.left._tag).toBe('StoreFailed');
  });

  it('reports a unique violation on (stream, revision) as a conflict', async () => {
    nextSchema();
    const store = await open();
    expect(isRight(await store.append('dup', numbered(1), 'no-stream'))).toBe(
      true,
    );
    // A row at revision 1 that the streams table does not know of: the
    // next append collides with it on the unique key.
    await admin.query(
      `INSERT INTO ${schema}.events
         (position, transaction_id, stream, revision, type, data, recorded_at)
       VALUES (1, '1', 'dup', 1, 'Stray', '{}', now())`,
    );
    const result = await store.append('dup', numbered(2, 'late'), 'any');
    expect(isLeft(result) && result.left).toEqual({
      _tag: 'WrongExpectedRevision',
      stream: 'dup',
      expected: 'any',
      actual: 0,
    });
    const stream = await collect(store.readStream('dup'));
    expect(stream.map((e) => e.type)).toEqual(['N', 'Stray']);
  });

  it('leaves a caller-owned pool open on close', async () => {
    nextSchema();
    const pool = new pg.Pool({
      connectionString: server.connectionString,
      max: 3,
    });
    pool.on('error', () => undefined);
    try {
      const store = await open({ pool, connectionString: undefined });
      await store.append('p', numbered(2), 'no-stream');
      await store.close();
      const rows = await pool.query(
        `SELECT count(*)::int AS n FROM ${schema}.events`,
      );
      expect(rows.rows).toEqual([{ n: 2 }]);
    } finally {
      await pool.end();
    }
  });
});

describe.runIf(havePostgres)(
  'global order with concurrent transactions',
  () => {
    it('never skips an append that started earlier and commits later', async () => {
      nextSchema();
      const store = await open({ pollIntervalMs: 50 });
      const seen: RecordedEvent[] = [];
      const sub = store.follow().subscribe((e) => seen.push(e));
      const early = await admin.connect();
      try {
        // Connection 1 opens a transaction and writes an event: it holds the
        // older transaction id, so the smaller position.
        await early.query('BEGIN');
        const held = await writeInTransaction(
          early,
          schema,
          `rotor_events_${schema}`,
          {
            stream: 'early',
            events: [{ type: 'Early', data: {} }],
            expected: 'no-stream',
            recordedAt: new Date().toISOString(),
          },
          ['{}'],
        );
        // Connection 2 (the store's pool) appends and commits first.
        const late = await store.append(
          'late',
          [{ type: 'Late', data: {} }],
          'no-stream',
        );
        expect(isRight(late)).toBe(true);
        const latePosition = isRight(late) ? late.right.position : 0n;
        expect(held.position < latePosition).toBe(true);

        // A reader by global position alone sees the later event now and
        // moves its checkpoint past the earlier one.
        const naive = async (after: bigint) =>
          (
            await admin.query<{ type: string; position: string }>(
              `SELECT type, position::text FROM ${schema}.events
             WHERE position > $1 ORDER BY position`,
              [after.toString()],
            )
          ).rows;
        const firstLook = await naive(0n);
        expect(firstLook.map((r) => r.type)).toEqual(['Late']);
        const checkpoint = BigInt(firstLook[0]?.position ?? '0');

        // This store shows neither while the older transaction is open.
        expect(await collect(store.readAll())).toEqual([]);
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(seen).toEqual([]);

        await early.query('COMMIT');

        // The naive reader never sees the earlier event: it is lost.
        expect(await naive(checkpoint)).toEqual([]);
        // The store's follower and readAll deliver both, in order.
        await vi.waitFor(() => expect(seen).toHaveLength(2));
        expect(seen.map((e) => e.type)).toEqual(['Early', 'Late']);
        const all = await collect(store.readAll());
        expect(all.map((e) => e.type)).toEqual(['Early', 'Late']);
        // And a reader resuming from the later event's position still gets
        // nothing twice.
        expect(await collect(store.readAll({ after: latePosition }))).toEqual(
          [],
        );
      } finally {
        await early.query('ROLLBACK').catch(() => undefined);
        early.release();
        sub.unsubscribe();
      }
    });

    it('wakes a follower in another process at once through NOTIFY', async () => {
      nextSchema();
      const writer = await open();
      const reader = await open({ pollIntervalMs: 60_000 });
      const seen: RecordedEvent[] = [];
      const sub = reader.follow().subscribe((e) => seen.push(e));
      try {
        // Wait until the reader's LISTEN session is up.
        await vi.waitFor(async () => {
          const listening = await admin.query(
            `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE query LIKE 'LISTEN rotor_events_${schema}%'`,
          );
          expect(listening.rows[0]?.n).toBeGreaterThan(0);
        });
        const started = Date.now();
        await writer.append('n', numbered(2), 'no-stream');
        await vi.waitFor(() => expect(seen).toHaveLength(2), { timeout: 5000 });
        expect(Date.now() - started).toBeLessThan(5000);
      } finally {
        sub.unsubscribe();
      }
    });

    it('finds an append whose notification was lost by polling', async () => {
      nextSchema();
      const reader = await open({ pollIntervalMs: 100 });
      const seen: RecordedEvent[] = [];
      const sub = reader.follow().subscribe((e) => seen.push(e));
      const client = await admin.connect();
      try {
        await client.query('BEGIN');
        await writeInTransaction(
          client,
          schema,
          'nobody_listens_here',
          {
            stream: 'quiet',
            events: [{ type: 'Quiet', data: { n: 1 } }],
            expected: 'no-stream',
            recordedAt: new Date().toISOString(),
          },
          ['{"n":1}'],
        );
        await client.query('COMMIT');
        await vi.waitFor(() =>
          expect(seen.map((e) => e.type)).toEqual(['Quiet']),
        );
      } finally {
        client.release();
        sub.unsubscribe();
      }
    });

    it('keeps per-stream order across two stores racing on one stream', async () => {
      nextSchema();
      const [a, b] = await Promise.all([open(), open()]);
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, k) =>
          (k % 2 === 0 ? a : b).append('shared', numbered(1, `w${k}`), 'any'),
        ),
      );
      expect(results.every(isRight)).toBe(true);
      const stream = await collect(a.readStream('shared'));
      expect(stream.map((e) => e.revision)).toEqual(
        Array.from({ length: 40 }, (_, i) => i),
      );
      const all = await collect(b.readAll());
      expect(all).toHaveLength(40);
    });
  },
);
