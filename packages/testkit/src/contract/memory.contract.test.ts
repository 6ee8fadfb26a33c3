import { createMemoryEventStore } from '@rotor/core';
import { describeEventStoreContract } from './describeEventStoreContract.js';

describeEventStoreContract('memory', () => {
  const store = createMemoryEventStore();

  return Promise.resolve({ store, cleanup: () => store.close() });
});
