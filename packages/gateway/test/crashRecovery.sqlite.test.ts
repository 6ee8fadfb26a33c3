import { openSqliteEventStore, storeErrorMessage } from '@rotor/store-sqlite';
import * as E from 'fp-ts/lib/Either.js';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import {
  crashOperations,
  killAndResume,
  killMoments,
  type CrashStore,
} from './crashScenario.js';

const repeats = Number(process.env['ROTOR_CRASH_REPEATS'] ?? 3);

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

describe('rotor gateway run killed mid-job (SQLite, real processes)', () => {
  for (const [i, killAt] of killMoments(repeats).entries()) {
    it(`a second process takes over and finishes the job (SIGKILL at operation ${killAt} of ${crashOperations})`, async () => {
      await killAndResume({
        store: sqlite,
        processes: 1,
        killAt,
        uidSeed: 10 + i,
      });
    }, 120_000);
  }
});
