/**
 * Test helpers of the core: the given / when / then kit for `decide`,
 * readable uids and records, and fast-check arbitraries for every event.
 * The arbitraries need `fast-check`, so this entry point is apart from the
 * package's main one.
 *
 * @packageDocumentation
 */

export { decideSpec } from './decider.js';
export { testMachine, testUser, withoutOs } from './fixtures.js';
export { testUid } from './uids.js';
export {
  dependentArb,
  eventArbitraries,
  failureArb,
  hostFactsArb,
  kindArb,
  kindsArb,
  mappingScopeArb,
  rotorEventArb,
  targetArb,
  timestampArb,
  uidArb,
} from './arbitraries.js';

export type { DecideOutcome } from './decider.js';
