import { describeEventStoreContract } from '@rotor/testkit/contract';
import { isLeft } from 'fp-ts/lib/Either.js';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { storeErrorMessage } from './kurrentErrors.js';
import { openKurrentDbEventStore } from './openKurrentDbEventStore.js';

const connectionString = process.env['KURRENTDB_CONNECTION_STRING'];

if (connectionString === undefined || connectionString === '') {
  // A visible skip, never a silent pass: without a server the adapter is
  // checked only by its mapping, error and unreachable-server tests.
  describe('EventStore contract: kurrentdb', () => {
    it.skip('skipped: KURRENTDB_CONNECTION_STRING is not set, so the KurrentDB adapter is unverified against a server', () =>
      undefined);
  });
} else {
  // Each test works under a namespace of its own on the shared server, so
  // it sees an empty store.
  describeEventStoreContract('kurrentdb', async () => {
    const opened = await openKurrentDbEventStore({
      connectionString,
      namespace: `t${randomUUID().replaceAll('-', '')}-`,
    });
    if (isLeft(opened)) {
      throw new Error(storeErrorMessage(opened.left));
    }
    const store = opened.right;

    return { store, cleanup: () => store.close() };
  });
}
