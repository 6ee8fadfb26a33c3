import { testPostgres } from '@rotor/testkit';
import { describeEventStoreContract } from '@rotor/testkit/contract';
import type { TestPostgres } from '@rotor/testkit';
import { isLeft } from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openPostgresEventStore } from './openPostgresEventStore.js';
import { storeErrorMessage } from './pgErrors.js';

let server: TestPostgres | undefined;
let admin: pg.Pool | undefined;
let count = 0;

beforeAll(async () => {
  server = await testPostgres();
  admin = new pg.Pool({ connectionString: server.connectionString, max: 2 });
  admin.on('error', () => undefined);
});
afterAll(async () => {
  await admin?.end();
  await server?.stop();
});

// Each test gets an empty schema of its own on the one server.
describeEventStoreContract('postgres', async () => {
  if (server === undefined || admin === undefined) {
    throw new Error('no PostgreSQL server');
  }
  const schema = `contract_${process.pid}_${++count}`;
  const opened = await openPostgresEventStore({
    connectionString: server.connectionString,
    schema,
    pollIntervalMs: 100,
  });
  if (isLeft(opened)) {
    throw new Error(storeErrorMessage(opened.left));
  }
  const store = opened.right;
  const dropper = admin;

  return {
    store,
    cleanup: async () => {
      await store.close();
      await dropper.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
});
