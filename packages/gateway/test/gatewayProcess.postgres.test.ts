import type { EventStore } from '@rotor/core';
import {
  openPostgresEventStore,
  storeErrorMessage,
} from '@rotor/store-postgres';
import { postgresReady, testPostgres, type TestPostgres } from '@rotor/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  claimRace,
  takeoverAfterLease,
  twoProcessesOneJob,
} from './racingProcesses.js';

const havePostgres = postgresReady();

let server: TestPostgres;
let schemas = 0;

beforeAll(async () => {
  if (!havePostgres) {
    return;
  }
  server = await testPostgres();
});
afterAll(async () => {
  if (!havePostgres) {
    return;
  }
  await server.stop();
});

// Each call opens its own pool on one schema, as two processes would.
const oneSchema = (): (() => Promise<EventStore>) => {
  schemas += 1;
  const schema = `gateway_${process.pid}_${schemas}`;

  return async () => {
    const opened = await openPostgresEventStore({
      connectionString: server.connectionString,
      schema,
      pollIntervalMs: 50,
    });
    if (E.isLeft(opened)) {
      throw new Error(storeErrorMessage(opened.left));
    }

    return opened.right;
  };
};

describe.runIf(havePostgres)(
  'gateway processes over the PostgreSQL store',
  () => {
    it('two processes of one gateway: each job runs exactly once', async () => {
      await twoProcessesOneJob(oneSchema());
    });

    it('takes over a job whose claimant died once its lease ran out', async () => {
      await takeoverAfterLease(oneSchema());
    });

    it('of two connections claiming one job at once, exactly one wins', async () => {
      await claimRace(oneSchema());
    });
  },
);
