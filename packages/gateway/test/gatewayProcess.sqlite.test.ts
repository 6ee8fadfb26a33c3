import type { EventStore } from '@rotor/core';
import { openSqliteEventStore, storeErrorMessage } from '@rotor/store-sqlite';
import * as E from 'fp-ts/lib/Either.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, it } from 'vitest';
import {
  claimRace,
  takeoverAfterLease,
  twoProcessesOneJob,
} from './racingProcesses.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Each call opens its own connection to one database file, as two
// processes on one host would.
const oneFile = (): (() => Promise<EventStore>) => {
  const dir = mkdtempSync(join(tmpdir(), 'rotor-gateway-'));
  dirs.push(dir);

  return async () => {
    const opened = await openSqliteEventStore({
      path: join(dir, 'rotor.db'),
      pollIntervalMs: 20,
    });
    if (E.isLeft(opened)) {
      throw new Error(storeErrorMessage(opened.left));
    }

    return opened.right;
  };
};

describe('gateway processes over the SQLite store', () => {
  it('two processes of one gateway: each job runs exactly once', async () => {
    await twoProcessesOneJob(oneFile());
  });

  it('takes over a job whose claimant died once its lease ran out', async () => {
    await takeoverAfterLease(oneFile());
  });

  it('of two connections claiming one job at once, exactly one wins', async () => {
    await claimRace(oneFile());
  });
});
