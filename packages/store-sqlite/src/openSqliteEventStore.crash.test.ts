import type { EventStore, RecordedEvent } from '@rotor/core';
import { collect } from '@rotor/testkit/contract';
import Database from 'better-sqlite3';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSqliteEventStore } from './openSqliteEventStore.js';
import { storeErrorMessage } from './sqliteErrors.js';

const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const streams = ['crash-a', 'crash-b', 'crash-c', 'crash-d'];

interface Probe {
  readonly id: string;
  readonly i: number;
  readonly size: number;
}

const probeOf = (e: RecordedEvent): Probe => e.data as Probe;

/** Runs the writer until it has committed once, then kills it mid-loop. */
const killWriterMidway = async (path: string, run: number): Promise<void> => {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@rotor/source',
      '--import',
      pathToFileURL(join(fixtures, 'registerTsHooks.mjs')).href,
      join(fixtures, 'crashWriter.ts'),
      path,
      `run${run}`,
      String(7919 * (run + 1)),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = once(child, 'exit');
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ready')), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`writer exited ${code}: ${stderr}`));
      });
    });
    await new Promise((resolve) => setTimeout(resolve, 40 + 53 * run));
  } finally {
    if (child.pid !== undefined && child.exitCode === null) {
      process.kill(child.pid, 'SIGKILL');
    }
    await exited;
  }
};

const open = async (path: string): Promise<EventStore> => {
  const opened = await openSqliteEventStore({ path });
  if (isLeft(opened)) {
    throw new Error(storeErrorMessage(opened.left));
  }

  return opened.right;
};

/** Every stream contiguous from 0 and made of whole batches only. */
const expectWholeAppends = async (store: EventStore): Promise<number> => {
  let total = 0;
  for (const stream of streams) {
    const events = await collect(store.readStream(stream));
    expect(events.map((e) => e.revision)).toEqual(events.map((_, i) => i));
    let k = 0;
    while (k < events.length) {
      const first = probeOf(events[k]!);
      const batch = events.slice(k, k + first.size).map(probeOf);
      expect(batch).toHaveLength(first.size);
      expect(batch).toEqual(
        batch.map((_, i) => ({ ...first, i, padding: expect.any(String) })),
      );
      k += first.size;
    }
    total += events.length;
  }
  const all = await collect(store.readAll());
  expect(all).toHaveLength(total);

  return total;
};

describe('a writer killed with SIGKILL mid-append', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rotor-crash-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves only whole appends, run after run', async () => {
    const path = join(dir, 'crash.db');
    let before = 0;
    for (let run = 0; run < 4; run++) {
      await killWriterMidway(path, run);
      const check = new Database(path);
      expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
      check.close();

      const store = await open(path);
      const total = await expectWholeAppends(store);
      expect(total).toBeGreaterThan(before);
      before = total;
      await store.close();
    }

    // The streams table agrees with the events: appending at each stream's
    // last revision succeeds.
    const store = await open(path);
    for (const stream of streams) {
      const events = await collect(store.readStream(stream));
      const last = events.at(-1)?.revision;
      const after = await store.append(
        stream,
        [{ type: 'After', data: {} }],
        last ?? 'no-stream',
      );
      expect(isRight(after)).toBe(true);
    }
    await store.close();
  }, 120_000);
});
