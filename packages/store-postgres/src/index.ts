/**
 * rotor's event store on PostgreSQL (`pg`), for several gateways, on one
 * host or many, sharing one store.
 *
 * @packageDocumentation
 */

export { openPostgresEventStore } from './openPostgresEventStore.js';
export { schemaVersion } from './pgSchema.js';
export { maxEventsPerAppend } from './pgAppend.js';
export {
  isUnavailable,
  storeErrorException,
  storeErrorMessage,
  storeErrorOf,
} from './pgErrors.js';

export type { PostgresEventStoreOptions } from './openPostgresEventStore.js';
export type { StoreErrorException } from './pgErrors.js';
