import type { Command } from 'commander';
import type { EventStore } from '@rotor/core';
import { openSqliteEventStore, storeErrorMessage } from '@rotor/store-sqlite';
import * as E from 'fp-ts/lib/Either.js';
import { CliError } from '../output.js';
import type { Output } from '../output.js';
import type { GlobalOptions } from '../runtime.js';

/** A verb adds its command(s) to the program. */
export type Verb = (
  program: Command,
  global: () => GlobalOptions,
  out: Output,
) => void;

/** Opens the SQLite store, runs `f`, and closes the store. */
export const withStore = async <A>(
  opts: GlobalOptions,
  f: (store: EventStore) => Promise<A>,
): Promise<A> => {
  const opened = await openSqliteEventStore({
    path: opts.store,
    ...(opts.logger === undefined ? {} : { logger: opts.logger }),
  });
  if (E.isLeft(opened)) {
    throw new CliError(
      `cannot open the store ${opts.store}: ${storeErrorMessage(opened.left)}`,
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
