import {
  decodeRecordedEvent,
  evolveGateway,
  evolveJob,
  initialGatewayState,
  initialJobState,
  isJobEvent,
  type GatewayState,
  type JobState,
  type Uid,
} from '@rotor/core';
import { openSqliteEventStore } from '@rotor/store-sqlite';
import Database from 'better-sqlite3';
import { peakRss } from './child.js';

/** One measured replay, printed as JSON for the parent. */
export interface ReplaySample {
  readonly mode: 'raw' | 'store-read' | 'full';
  readonly events: number;
  readonly ms: number;
  readonly peakRssBytes: number;
  readonly baselineRssBytes: number;
  readonly check: string;
}

const [path = '', mode = 'raw', gatewayUid = ''] = process.argv.slice(2);
const baselineRssBytes = peakRss();

// The peer: every row through the driver, nothing decoded (the data text is
// touched so that it is really read).
const raw = () => {
  const db = new Database(path, { readonly: true });
  const rows = db
    .prepare<[], { data: string }>(
      'SELECT position, stream, revision, type, data, recorded_at FROM events ORDER BY position',
    )
    .iterate();
  let events = 0;
  let bytes = 0;
  for (const row of rows) {
    events += 1;
    bytes += row.data.length;
  }
  db.close();

  return { events, check: `${bytes} bytes` };
};

const openStore = async () => {
  const opened = await openSqliteEventStore({ path });
  if (opened._tag === 'Left') {
    throw new Error(JSON.stringify(opened.left));
  }

  return opened.right;
};

// The store's own read: pages of 500, rows to RecordedEvent, JSON parsed.
const storeRead = async () => {
  const store = await openStore();
  let events = 0;
  for await (const e of store.readAll()) {
    events += e.type.length > 0 ? 1 : 0;
  }
  await store.close();

  return { events, check: '' };
};

// What a gateway does when it starts: every event decoded by its codec and
// folded into the gateway projection and its job's projection. A finished
// job keeps only its outcome, so memory follows the running jobs.
const full = async () => {
  const store = await openStore();
  let gateway: GatewayState = initialGatewayState(gatewayUid as Uid);
  const jobs = new Map<string, JobState>();
  const outcomes = new Map<string, number>();
  let events = 0;
  for await (const recorded of store.readAll()) {
    const decoded = decodeRecordedEvent(recorded);
    if (decoded._tag === 'Left') {
      throw new Error(JSON.stringify(decoded.left));
    }
    const event = decoded.right;
    gateway = evolveGateway(gateway, event);
    if (isJobEvent(event)) {
      const next = evolveJob(
        jobs.get(recorded.stream) ?? initialJobState,
        event,
      );
      if (next.status === 'finished') {
        jobs.delete(recorded.stream);
        const status = event.type === 'JobFinished' ? event.data.status : '?';
        outcomes.set(status, (outcomes.get(status) ?? 0) + 1);
      } else {
        jobs.set(recorded.stream, next);
      }
    }
    events += 1;
  }
  await store.close();

  return {
    events,
    check: `${gateway.mappings.size} mappings, ${gateway.activeJobs.size} active, jobs ${JSON.stringify(Object.fromEntries(outcomes))}`,
  };
};

const t0 = performance.now();
const result =
  mode === 'raw'
    ? raw()
    : mode === 'store-read'
      ? await storeRead()
      : await full();
const ms = performance.now() - t0;
const sample: ReplaySample = {
  mode: mode as ReplaySample['mode'],
  events: result.events,
  ms,
  peakRssBytes: peakRss(),
  baselineRssBytes,
  check: result.check,
};
console.log(JSON.stringify(sample));
