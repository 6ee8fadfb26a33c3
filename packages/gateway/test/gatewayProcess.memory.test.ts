import { createMemoryEventStore, type EventStore } from '@rotor/core';
import { describe, it } from 'vitest';
import {
  claimRace,
  takeoverAfterLease,
  twoProcessesOneJob,
} from './racingProcesses.js';

// Both processes share one in-memory store, as two processes would share a
// database.
const shared = (): (() => Promise<EventStore>) => {
  const store = createMemoryEventStore();

  return () => Promise.resolve(store);
};

describe('gateway processes over the memory store', () => {
  it('two processes of one gateway: each job runs exactly once', async () => {
    await twoProcessesOneJob(shared());
  });

  it('takes over a job whose claimant died once its lease ran out', async () => {
    await takeoverAfterLease(shared());
  });

  it('of two connections claiming one job at once, exactly one wins', async () => {
    await claimRace(shared());
  });
});
