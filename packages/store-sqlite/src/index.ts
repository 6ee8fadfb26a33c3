/**
 * rotor's embedded default event store on SQLite (better-sqlite3), and the
 * encrypted file secret store.
 *
 * @packageDocumentation
 */

export { openSqliteEventStore } from './openSqliteEventStore.js';
export { schemaVersion } from './sqliteSchema.js';
export { storeErrorException, storeErrorMessage } from './sqliteErrors.js';
export { openFileSecretStore } from './fileSecretStore.js';
export { loadSecretKey } from './secretKey.js';

export type { SqliteEventStoreOptions } from './openSqliteEventStore.js';
export type { StoreErrorException } from './sqliteErrors.js';
export type {
  FileSecretStore,
  FileSecretStoreOptions,
  InitialSecret,
} from './fileSecretStore.js';
export type { SecretKeyError, SecretKeySource } from './secretKey.js';
