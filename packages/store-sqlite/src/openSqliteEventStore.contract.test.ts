import { describeEventStoreContract } from '@rotor/testkit/contract';
import { isLeft } from 'fp-ts/lib/Either.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteEventStore } from './openSqliteEventStore.js';
import { storeErrorMessage } from './sqliteErrors.js';

describeEventStoreContract('sqlite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rotor-sqlite-'));
  const opened = await openSqliteEventStore({ path: join(dir, 'events.db') });
  if (isLeft(opened)) {
    throw new Error(storeErrorMessage(opened.left));
  }
  const store = opened.right;

  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
