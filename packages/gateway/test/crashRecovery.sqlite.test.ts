import { openSqliteEventStore, storeErrorMessage } from '@rotor/store-sqlite';
import * as E from 'fp-ts/lib/Either.js';
import { join } from 'node:path';
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

const sqlite: CrashStore = {
  arg: (dir) => join(dir, 'rotor.db'),
  open: async (dir) => {
    const opened = await openSqliteEventStore({
      path: join(dir, 'rotor.db'),
      pollIntervalMs: 50,
    });
    if (E.isLeft(opened)) {
      throw new Error(storeErrorMessage(opened.left));
    }

    return opened.right;
  },
};

let rig: CrashRig | undefined;
beforeAll(async () => {
  rig = await startCrashRig({ store: sqlite, processes: 1, uidSeed: 10 });
});
afterAll(async () => {
  await rig?.stop();
});
const theRig = (): CrashRig => {
  if (rig === undefined) {
    throw new Error('the rig did not start');
  }

  return rig;
};

describe(`rotor gateway run killed mid-job, one process at a time (SQLite, real processes, ${rotorEntryKind} CLI)`, () => {
  for (const killAt of killMoments(crashRepeats())) {
    it(`a second process takes over and finishes the job (SIGKILL at operation ${killAt} of ${crashOperations})`, async () => {
      await theRig().killAndResume(killAt);
    }, 120_000);
  }

  it('rotor gateway list shows the gateway ONLINE', async () => {
    const row = await theRig().listGateway();
    expect(row?.status).toBe('ONLINE');
    expect(row?.processes).toBeGreaterThanOrEqual(1);
  }, 60_000);
});
