import { postgresReady, testPostgres } from '@rotor/testkit';
import { describeEventStoreContract } from '@rotor/testkit/contract';
import type { TestPostgres } from '@rotor/testkit';
import { isLeft } from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { afterAll, beforeAll, it } from 'vitest';
import { openPostgresEventStore } from './openPostgresEventStore.js';
import { storeErrorMessage } from './pgErrors.js';

const havePostgres = postgresReady();

let server: TestPostgres | undefined;
let admin: pg.Pool | undefined;
let count = 0;

beforeAll(async () => {
  if (!havePostgres) {
    return;
  }
  server = await testPostgres();
  admin = new pg.Pool({ connectionString: server.connectionString, max: 2 });
  admin.on('error', () => undefined);
});
afterAll(async () => {
  if (!havePostgres) {
    return;
  }
  await admin?.end();
  await server?.stop();
});

// Each test gets an empty schema of its own on the one server.
if (havePostgres) {
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
} else {
  it.skip('the PostgreSQL contract suite needs PostgreSQL (apt-get install postgresql)', () =>
    undefined);
}
