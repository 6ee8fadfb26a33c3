import type { EventStore } from '@rotor/core';
import {
  openPostgresEventStore,
  storeErrorMessage,
} from '@rotor/store-postgres';
import * as E from 'fp-ts/lib/Either.js';
import { CliError } from '../output.js';
import type { GlobalOptions } from '../runtime.js';
import { withStore } from './verb.js';

/** Whether `--store` names a PostgreSQL server rather than a SQLite file. */
export const isPostgresUrl = (store: string): boolean =>
  /^postgres(ql)?:\/\//i.test(store);

/**
 * Opens the store of the gateway verbs, runs `f`, and closes the store:
 * PostgreSQL when `--store` is a `postgres://` URL (then `--secrets` must
 * name the secrets file, which cannot sit beside a URL), else the SQLite
 * file.
 */
export const withGatewayStore = async <A>(
  opts: GlobalOptions,
  f: (store: EventStore) => Promise<A>,
): Promise<A> => {
  if (!isPostgresUrl(opts.store)) {
    return withStore(opts, f);
  }
  if (opts.secrets === undefined) {
    throw new CliError(
      'with a PostgreSQL --store, name the secrets file with --secrets (and its key with --secret-key-file or ROTOR_SECRET_KEY)',
    );
  }
  const opened = await openPostgresEventStore({ connectionString: opts.store });
  if (E.isLeft(opened)) {
    // The message names the server's answer, never the URL's password.
    throw new CliError(
      `cannot open the PostgreSQL store: ${storeErrorMessage(opened.left)}`,
      1,
    );
  }
  const store = opened.right;
  try {
    return await f(store);
  } finally {
    await store.close();
  }
};
