import { randomBytes } from 'node:crypto';
import {
  jobStream,
  mappingStream,
  uidFromBytes,
  type RecordedEvent,
} from '@rotor/core';
import { openSqliteEventStore } from '@rotor/store-sqlite';
import Database from 'better-sqlite3';
import { benchFleet, runRotation } from './benchFleet.js';

/** A row as the SQLite store writes it, before it has a position. */
interface Row {
  readonly stream: string;
  readonly revision: number;
  readonly type: string;
  readonly data: string;
}

/**
 * Realistic job events: one real rotation by the engine over a simulated
 * fleet of `machines` (no latency), as the store would hold them.
 */
export const jobTemplate = async (
  machines: number,
): Promise<{
  readonly jobId: string;
  readonly events: ReadonlyArray<RecordedEvent>;
  readonly mappings: ReadonlyArray<Row>;
  readonly gatewayUid: string;
}> => {
  const fleet = benchFleet(machines);
  const run = await runRotation(fleet, { latencyMs: 0, parallel: 16 });
  const events: RecordedEvent[] = [];
  for await (const e of run.store.readStream(jobStream(run.jobId))) {
    events.push(e);
  }
  const user = fleet.users.get('svc');
  const gatewayUid = fleet.gateway.uid;
  const at = new Date().toISOString();
  const mappings = [...fleet.machines.values()].flatMap((m, i) =>
    (['service', 'task', 'iis'] as const).map((kind, k) => ({
      stream: mappingStream(gatewayUid),
      revision: i * 3 + k,
      type: 'MappingAdded',
      data: JSON.stringify({
        gatewayUid,
        machineUid: m.uid,
        userUid: user?.uid,
        kind,
        by: 'bench',
        at,
      }),
    })),
  );

  return { jobId: run.jobId, events, mappings, gatewayUid };
};

/**
 * Writes about `total` events into a new SQLite store at `path`: the
 * gateway's mappings, then copies of one real job under fresh job ids,
 * through the raw driver in large transactions (the store's schema, made
 * by opening it once). Returns the number of events written.
 */
export const writeReplayData = async (
  path: string,
  total: number,
  jobMachines: number,
): Promise<{
  readonly events: number;
  readonly jobs: number;
  readonly gatewayUid: string;
}> => {
  const opened = await openSqliteEventStore({ path });
  if (opened._tag === 'Left') {
    throw new Error(`cannot open ${path}: ${JSON.stringify(opened.left)}`);
  }
  await opened.right.close();
  const template = await jobTemplate(jobMachines);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const insert = db.prepare(
    `INSERT INTO events (stream, revision, type, data, recorded_at)
     VALUES (?, ?, ?, ?, ?)`,
  );
  const setRevision = db.prepare(
    'INSERT OR REPLACE INTO streams (stream, revision) VALUES (?, ?)',
  );
  const at = new Date().toISOString();
  const write = db.transaction((rows: ReadonlyArray<Row>) => {
    for (const r of rows) {
      insert.run(r.stream, r.revision, r.type, r.data, at);
    }
    const last = rows.at(-1);
    if (last !== undefined) {
      setRevision.run(last.stream, last.revision);
    }
  });
  write(template.mappings);
  let events = template.mappings.length;
  let jobs = 0;
  const texts = template.events.map((e) => ({
    type: e.type,
    data: JSON.stringify(e.data),
  }));
  while (events < total) {
    const jobId = uidFromBytes(randomBytes(16));
    const stream = jobStream(jobId);
    write(
      texts.map((t, revision) => ({
        stream,
        revision,
        type: t.type,
        data: t.data.replaceAll(template.jobId, jobId),
      })),
    );
    events += texts.length;
    jobs += 1;
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();

  return { events, jobs, gatewayUid: template.gatewayUid };
};
