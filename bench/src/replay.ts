import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inChild } from './child.js';
import { full, intFromEnv, mb } from './env.js';
import { writeReplayData } from './replayData.js';
import type { ReplaySample } from './replayRun.js';
import { figure, report } from './report.js';

// Replay: M events in the SQLite store, read and folded into the gateway
// and job projections with full decoding, against a plain read of the same
// rows through the driver. Each side runs in a fresh process, alternately,
// `rounds` times; the best of each is compared (the least disturbed by the
// other work on a shared machine).
const total = intFromEnv('ROTOR_BENCH_EVENTS', full() ? 1_000_000 : 200_000);
const jobMachines = intFromEnv('ROTOR_BENCH_JOB_MACHINES', 20);
const rounds = intFromEnv('ROTOR_BENCH_ROUNDS', 2);

const dir = mkdtempSync(join(tmpdir(), 'rotor-bench-replay-'));
try {
  const path = join(dir, 'events.db');
  const t0 = performance.now();
  const data = await writeReplayData(path, total, jobMachines);
  const writeMs = performance.now() - t0;
  const modes = ['raw', 'store-read', 'full'] as const;
  const best = new Map<string, ReplaySample>();
  for (let r = 0; r < rounds; r += 1) {
    for (const mode of modes) {
      const s = await inChild<ReplaySample>('replayRun', [
        path,
        mode,
        data.gatewayUid,
      ]);
      const prev = best.get(mode);
      if (prev === undefined || s.ms < prev.ms) {
        best.set(mode, {
          ...s,
          peakRssBytes: Math.max(s.peakRssBytes, prev?.peakRssBytes ?? 0),
        });
      }
    }
  }
  const rate = (m: string) => {
    const s = best.get(m);

    return s === undefined ? NaN : s.events / (s.ms / 1000);
  };
  const fullRun = best.get('full');
  report({
    name: 'replay',
    title: `Replay: ${data.events} events (${data.jobs} jobs of ${jobMachines} machines) from SQLite into the gateway and job projections`,
    params: { events: data.events, jobs: data.jobs, jobMachines, rounds },
    figures: [
      figure('raw driver read (iterate, no decoding)', rate('raw'), 'events/s'),
      figure(
        'store readAll (pages, JSON.parse)',
        rate('store-read'),
        'events/s',
      ),
      figure(
        'full replay (decode + evolveGateway + evolveJob)',
        rate('full'),
        'events/s',
      ),
      figure('full replay / raw read', rate('full') / rate('raw'), 'x', {
        target: '>= 0.5',
        met: (v) => v >= 0.5,
      }),
      figure('store readAll / raw read', rate('store-read') / rate('raw'), 'x'),
      figure(
        'peak RSS of the full replay',
        mb(fullRun?.peakRssBytes ?? NaN),
        'MB',
        {
          target: '< 256 MB',
          met: (v) => v < 256,
        },
      ),
      figure(
        '  RSS of a bare process before it',
        mb(fullRun?.baselineRssBytes ?? NaN),
        'MB',
      ),
      figure(
        'peak RSS of the raw read',
        mb(best.get('raw')?.peakRssBytes ?? NaN),
        'MB',
      ),
      figure('database size', mb(statSync(path).size), 'MB'),
      figure('time to write the data (raw, unmeasured)', writeMs, 'ms'),
    ],
    notes: [
      `best of ${rounds} alternating runs per side, each in a fresh process`,
      `full replay checked: ${fullRun?.check ?? ''}`,
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
