import {
  openPostgresEventStore,
  storeErrorMessage,
} from '@rotor/store-postgres';
import { testPostgres, type TestPostgres } from '@rotor/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, it } from 'vitest';
import {
  crashOperations,
  killAndResume,
  killMoments,
  type CrashStore,
} from './crashScenario.js';

const repeats = Number(process.env['ROTOR_CRASH_REPEATS'] ?? 3);

let server: TestPostgres;
beforeAll(async () => {
  server = await testPostgres();
});
afterAll(async () => {
  await server.stop();
});

// The processes use the CLI's default schema; every repetition has a fleet
// of its own (its own uids), so they never meet each other's jobs.
const postgres: CrashStore = {
  arg: () => server.connectionString,
  open: async () => {
    const opened = await openPostgresEventStore({
      connectionString: server.connectionString,
      pollIntervalMs: 50,
    });
    if (E.isLeft(opened)) {
      throw new Error(storeErrorMessage(opened.left));
    }

    return opened.right;
  },
};

describe('two rotor gateway run processes, one killed mid-job (PostgreSQL, real processes)', () => {
  for (const [i, killAt] of killMoments(repeats).entries()) {
    it(`the other takes over and finishes the job (SIGKILL at operation ${killAt} of ${crashOperations})`, async () => {
      await killAndResume({
        store: postgres,
        processes: 2,
        killAt,
        uidSeed: 1000 + process.pid * 100 + i,
      });
    }, 120_000);
  }
});
