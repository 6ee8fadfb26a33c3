/**
 * rotor's event store on KurrentDB (`@kurrent/kurrentdb-client`).
 *
 * @packageDocumentation
 */

export { openKurrentDbEventStore } from './openKurrentDbEventStore.js';
export {
  storeErrorException,
  storeErrorMessage,
  storeErrorOf,
} from './kurrentErrors.js';
export {
  actualRevisionOf,
  appendResultOf,
  fromPositionOf,
  positionToBigint,
  recordedOf,
  streamStateOf,
} from './kurrentMapping.js';

export type { KurrentDbEventStoreOptions } from './openKurrentDbEventStore.js';
export type { StoreErrorException } from './kurrentErrors.js';
