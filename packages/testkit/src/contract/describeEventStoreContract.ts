import { afterEach, beforeEach, describe } from 'vitest';
import { appendAndReadContract } from './appendAndRead.js';
import { dataAndCloseContract } from './dataAndClose.js';
import { expectedRevisionContract } from './expectedRevision.js';
import { followContract } from './follow.js';
import type {
  ContractHarness,
  EventStoreFactory,
  OpenedEventStore,
} from './harness.js';

/**
 * Declares the vitest suite that every `EventStore` must pass: the four
 * expected-revision states and their conflicts, atomic appends, per-stream
 * revisions and global positions, stream and global reads, `follow`
 * (replay, then live, never skipping or repeating), JSON round trips and
 * `close`.
 *
 * Each test opens a fresh, empty store with `factory` and calls its
 * `cleanup` afterwards, even when the test closed the store itself.
 *
 * @example
 * describeEventStoreContract('memory', async () => {
 *   const store = createMemoryEventStore();
 *   return { store, cleanup: () => store.close() };
 * });
 *
 * @category testing
 */
export const describeEventStoreContract = (
  name: string,
  factory: EventStoreFactory,
): void => {
  describe(`EventStore contract: ${name}`, () => {
    let opened: OpenedEventStore | undefined;
    beforeEach(async () => {
      opened = await factory();
    });
    afterEach(async () => {
      const done = opened;
      opened = undefined;
      await done?.cleanup();
    });

    const harness: ContractHarness = {
      store: () => {
        if (opened === undefined) {
          throw new Error('the contract suite has no open store');
        }

        return opened.store;
      },
    };
    expectedRevisionContract(harness);
    appendAndReadContract(harness);
    followContract(harness);
    dataAndCloseContract(harness);
  });
};
