import {
  openPostgresEventStore,
  storeErrorMessage,
} from '@rotor/store-postgres';
import { postgresReady, testPostgres, type TestPostgres } from '@rotor/testkit';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rotorEntryKind } from './cliProcess.js';
import { crashRepeats } from './crashRepeats.js';
import {
  crashOperations,
  killMoments,
  startCrashRig,
  type CrashRig,
  type CrashStore,
} from './crashScenario.js';

const havePostgres = postgresReady();

let server: TestPostgres | undefined;
let rig: CrashRig | undefined;

// The processes use the CLI's default schema; the rig's fleet has uids of
// its own, so its jobs are the only ones of its gateway.
const postgres: CrashStore = {
  arg: () => theServer().connectionString,
  open: async () => {
    const opened = await openPostgresEventStore({
      connectionString: theServer().connectionString,
      pollIntervalMs: 50,
    });
    if (E.isLeft(opened)) {
      throw new Error(storeErrorMessage(opened.left));
    }

    return opened.right;
  },
};

const theServer = (): TestPostgres => {
  if (server === undefined) {
    throw new Error('PostgreSQL did not start');
  }

  return server;
};

const theRig = (): CrashRig => {
  if (rig === undefined) {
    throw new Error('the rig did not start');
  }

  return rig;
};

beforeAll(async () => {
  if (!havePostgres) {
    return;
  }
  server = await testPostgres();
  rig = await startCrashRig({
    store: postgres,
    processes: 2,
    uidSeed: 1000 + (process.pid % 100_000),
  });
});
afterAll(async () => {
  if (!havePostgres) {
    return;
  }
  try {
    await rig?.stop();
  } finally {
    await server?.stop();
  }
});

describe.runIf(havePostgres)(
  `two rotor gateway run processes, one killed mid-job (PostgreSQL, real processes, ${rotorEntryKind} CLI)`,
  () => {
    for (const killAt of killMoments(crashRepeats())) {
      it(`the other takes over and finishes the job (SIGKILL at operation ${killAt} of ${crashOperations})`, async () => {
        await theRig().killAndResume(killAt);
      }, 120_000);
    }

    it('rotor gateway list shows the gateway ONLINE with both processes', async () => {
      const row = await theRig().listGateway();
      expect(row?.status).toBe('ONLINE');
      expect(row?.processes).toBeGreaterThanOrEqual(2);
    }, 60_000);
  },
);
