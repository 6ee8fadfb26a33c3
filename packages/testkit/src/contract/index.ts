/**
 * The event-store contract suite: one set of vitest tests that every
 * `EventStore` implementation must pass.
 *
 * @packageDocumentation
 */

export { describeEventStoreContract } from './describeEventStoreContract.js';
export { collect } from './harness.js';
export type { EventStoreFactory, OpenedEventStore } from './harness.js';
