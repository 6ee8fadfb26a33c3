import type { ReadAllOptions, RecordedEvent } from '@rotor/core';
import { asStoreError, storeErrorException } from './sqliteErrors.js';
import { pageSize, type Queries } from './sqliteRows.js';

// Every page is a separate short query whose rows are all fetched before
// the first is yielded: no statement or read transaction stays open while
// the caller awaits, so writers, WAL checkpoints and other reads go on.
const guarded = <T>(isClosed: () => boolean, read: () => T): T => {
  if (isClosed()) {
    throw storeErrorException({
      _tag: 'StoreUnavailable',
      message: 'the store is closed',
    });
  }
  try {
    return read();
  } catch (cause) {
    throw storeErrorException(asStoreError(cause));
  }
};

/** `readStream` in pages of revisions. */
export async function* readStreamPaged(
  queries: Queries,
  isClosed: () => boolean,
  stream: string,
  fromRevision = 0,
): AsyncGenerator<RecordedEvent> {
  let next = Math.max(0, fromRevision);
  for (;;) {
    const page = guarded(isClosed, () => queries.streamPage(stream, next));
    yield* page;
    const last = page.at(-1);
    if (last === undefined || page.length < pageSize) {
      return;
    }
    next = last.revision + 1;
  }
}

/** `readAll` in pages of global positions. */
export async function* readAllPaged(
  queries: Queries,
  isClosed: () => boolean,
  options: ReadAllOptions = {},
): AsyncGenerator<RecordedEvent> {
  let after = options.after ?? 0n;
  for (;;) {
    const page = guarded(isClosed, () =>
      queries.allPage(after, options.streamPrefixes),
    );
    yield* page.events;
    if (!page.more) {
      return;
    }
    after = page.scannedTo;
  }
}
