import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobStream, uidFromBytes, type NewEvent } from '@rotor/core';
import { appendTargets, type AppendTarget } from './appendTargetsIndex.js';
import { intFromEnv } from './env.js';
import { jobTemplate } from './replayData.js';
import { figure, report, type Figure } from './report.js';

// Appends: one job's events written as the engine writes them (one append
// per event at the expected revision) against the raw driver writing the
// same rows in the same transactions. The sides alternate job by job.
const jobs = intFromEnv('ROTOR_BENCH_APPEND_JOBS', 10);
const jobMachines = intFromEnv('ROTOR_BENCH_JOB_MACHINES', 20);

const template = await jobTemplate(jobMachines);
const texts = template.events.map((e) => ({
  type: e.type,
  text: JSON.stringify(e.data),
}));
const freshJob = (): { stream: string; events: NewEvent[] } => {
  const jobId = uidFromBytes(randomBytes(16));

  return {
    stream: jobStream(jobId),
    events: texts.map((t) => ({
      type: t.type,
      data: JSON.parse(t.text.replaceAll(template.jobId, jobId)) as unknown,
    })),
  };
};

/** Alternates the two sides job by job; returns appends per second of each. */
const race = async (rotor: AppendTarget, raw: AppendTarget) => {
  const ms = { rotor: 0, raw: 0 };
  let appends = 0;
  for (let j = 0; j < jobs; j += 1) {
    for (const [side, target] of [
      ['rotor', rotor],
      ['raw', raw],
    ] as const) {
      const job = freshJob();
      const t0 = performance.now();
      await target.appendJob(job.stream, job.events);
      ms[side] += performance.now() - t0;
    }
    appends += texts.length;
  }

  return {
    rotor: appends / (ms.rotor / 1000),
    raw: appends / (ms.raw / 1000),
    appends,
  };
};

const figures: Figure[] = [];
const skipped: string[] = [];
const notes: string[] = [];
const dir = mkdtempSync(join(tmpdir(), 'rotor-bench-appends-'));
try {
  const sides = await appendTargets(dir);
  for (const s of sides.ready) {
    const r = await race(s.rotor, s.raw);
    await s.rotor.close();
    await s.raw.close();
    figures.push(
      figure(`${s.name}: rotor's store`, r.rotor, 'appends/s'),
      figure(`${s.name}: raw driver`, r.raw, 'appends/s'),
      figure(`${s.name}: store / raw`, r.rotor / r.raw, 'x', {
        target: '>= 0.8',
        met: (v) => v >= 0.8,
      }),
    );
    notes.push(`${s.name}: ${r.appends} appends per side; ${s.note}`);
  }
  skipped.push(...sides.skipped);
  await sides.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

report({
  name: 'appends',
  title: `Appends: ${jobs} jobs of ${texts.length} events, one append per event at the expected revision, against the raw driver`,
  params: { jobs, jobMachines, eventsPerJob: texts.length },
  figures,
  skipped,
  notes,
});
