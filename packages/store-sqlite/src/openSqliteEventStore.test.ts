import type { EventStore, RecordedEvent } from '@rotor/core';
import { collect } from '@rotor/testkit/contract';
import Database from 'better-sqlite3';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { existsSync, readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { firstValueFrom, take, timeout, toArray } from 'rxjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openSqliteEventStore,
  type SqliteEventStoreOptions,
} from './openSqliteEventStore.js';
import { storeErrorMessage } from './sqliteErrors.js';

let dir = '';
let path = '';
const opened: EventStore[] = [];

const open = async (
  options: Partial<SqliteEventStoreOptions> = {},
): Promise<EventStore> => {
  const result = await openSqliteEventStore({ path, ...options });
  if (isLeft(result)) {
    throw new Error(`${result.left._tag}: ${storeErrorMessage(result.left)}`);
  }
  opened.push(result.right);

  return result.right;
};

const numbered = (n: number, stream = 's') =>
  Array.from({ length: n }, (_, i) => ({ type: 'N', data: { stream, i } }));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotor-sqlite-'));
  path = join(dir, 'events.db');
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  await rm(dir, { recursive: true, force: true });
});

describe('openSqliteEventStore', () => {
  it('keeps events across reopening, in WAL mode, at schema 1', async () => {
    const first = await open();
    await first.append('kept', numbered(3), 'no-stream');
    await first.close();

    const again = await open();
    expect(await collect(again.readStream('kept'))).toHaveLength(3);
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    const versions = raw.prepare('SELECT version FROM schema_version').all();
    expect(versions).toEqual([{ version: 1 }]);
    raw.close();
  });

  it('refuses a database from a newer rotor', async () => {
    await (await open()).close();
    const raw = new Database(path);
    raw.prepare("INSERT INTO schema_version VALUES (99, 'later')").run();
    raw.close();

    const result = await openSqliteEventStore({ path });
    expect(isLeft(result) && result.left).toMatchObject({
      _tag: 'StoreFailed',
      message: expect.stringContaining('schema version 99'),
    });
  });

  it('refuses a file that is not a database', async () => {
    await writeFile(path, 'not a database, just text '.repeat(100));
    const result = await openSqliteEventStore({ path });
    expect(isLeft(result) && result.left._tag).toBe('StoreFailed');
  });

  it('reports a write lock held too long as StoreUnavailable', async () => {
    const store = await open({ busyTimeoutMs: 50 });
    const other = new Database(path);
    other.prepare('BEGIN IMMEDIATE').run();
    const blocked = await store.append('b', numbered(1), 'any');
    expect(isLeft(blocked) && blocked.left._tag).toBe('StoreUnavailable');
    other.prepare('ROLLBACK').run();
    other.close();

    expect(isRight(await store.append('b', numbered(1), 'any'))).toBe(true);
    expect(await collect(store.readStream('b'))).toHaveLength(1);
  });

  it('treats an empty append as a check of the expectation', async () => {
    const store = await open();
    expect(await store.append('e', [], 'no-stream')).toEqual({
      _tag: 'Right',
      right: { revision: -1, position: 0n },
    });
    await store.append('e', numbered(2), 'no-stream');
    expect(await store.append('e', [], 1)).toEqual({
      _tag: 'Right',
      right: { revision: 1, position: 2n },
    });
    expect(isLeft(await store.append('e', [], 0))).toBe(true);
    expect(await collect(store.readAll())).toHaveLength(2);
  });

  it('pages a filtered read over sparse matches', async () => {
    const store = await open();
    for (let k = 0; k < 12; k++) {
      await store.append('noise', numbered(199, 'noise'), 'any');
      await store.append('rare-1', numbered(1, 'rare'), 'any');
    }
    const rare = await collect(store.readAll({ streamPrefixes: ['rare-'] }));
    expect(rare.map((e) => e.revision)).toEqual(
      Array.from({ length: 12 }, (_, i) => i),
    );
    const all = await collect(store.readAll());
    expect(all).toHaveLength(12 * 200);
  });
});

describe('reads', () => {
  it('hold no statement open between pages, so writes go on', async () => {
    const store = await open();
    await store.append('p', numbered(1200), 'no-stream');
    const seen: number[] = [];
    for await (const e of store.readAll()) {
      seen.push(e.revision);
      if (e.revision === 10) {
        const during = await store.append('p', numbered(5), 1199);
        expect(isRight(during)).toBe(true);
      }
    }
    expect(seen).toEqual(Array.from({ length: 1205 }, (_, i) => i));
  });

  it('complete a follow opened after close', async () => {
    const store = await open();
    await store.close();
    let completed = false;
    store.follow().subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });
});

describe('follow across connections', () => {
  it('sees appends by another connection by polling', async () => {
    const reader = await open({ pollIntervalMs: 20 });
    const writer = await open();
    const got = firstValueFrom(
      reader.follow().pipe(take(4), timeout(5_000), toArray()),
    );
    await writer.append('x', numbered(3), 'no-stream');
    await writer.append('y', numbered(1), 'no-stream');
    expect((await got).map((e) => `${e.stream}@${e.revision}`)).toEqual([
      'x@0',
      'x@1',
      'x@2',
      'y@0',
    ]);
  });

  it('is woken at once by appends through the same store', async () => {
    const store = await open({ pollIntervalMs: 60_000 });
    const seen: RecordedEvent[] = [];
    const sub = store.follow().subscribe((e) => seen.push(e));
    const started = Date.now();
    await store.append('now', numbered(2), 'no-stream');
    while (seen.length < 2 && Date.now() - started < 2_000) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    sub.unsubscribe();
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('close', () => {
  const openFiles = () =>
    readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        return [readlinkSync(`/proc/self/fd/${fd}`)];
      } catch {
        return [];
      }
    });

  it.skipIf(!existsSync('/proc/self/fd'))(
    'releases the database file and its WAL',
    async () => {
      const store = await open();
      await store.append('c', numbered(5), 'no-stream');
      expect(openFiles().some((f) => f.startsWith(path))).toBe(true);

      await store.close();
      expect(openFiles().filter((f) => f.startsWith(path))).toEqual([]);
      expect(existsSync(`${path}-wal`)).toBe(false);
      await rm(path);
      expect(existsSync(path)).toBe(false);
    },
  );
});
