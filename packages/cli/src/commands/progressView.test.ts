import type { RecordedEvent } from '@rotor/core';
import { describe, expect, it } from 'vitest';
import { liveSink } from './progressSink.js';
import {
  applyEvent,
  renderView,
  startJob,
  type ProgressView,
} from './progressView.js';

const names: Record<string, string> = { m1: 'APP01', m2: 'WEB01' };
const machineName = (uid: string) => names[uid] ?? uid;

let revision = 0;
const recorded = (type: string, data: object): RecordedEvent => ({
  stream: 'job-1',
  revision: revision++,
  position: BigInt(revision),
  type,
  data,
  recordedAt: '2026-12-03T17:00:00.000Z',
});

const dependent = (name: string) => ({ kind: 'service', name });

const run = (events: ReadonlyArray<RecordedEvent>): ProgressView =>
  events.reduce<ProgressView>(
    (view, e) => applyEvent(view, 'svc-app', e, machineName),
    startJob([], 'svc-app', ['APP01', 'WEB01']),
  );

describe('the live progress view', () => {
  it('starts with every machine waiting', () => {
    expect(renderView(run([]))).toEqual([
      'svc-app: waiting',
      '  … APP01  waiting',
      '  … WEB01  waiting',
    ]);
  });

  it('counts each machine’s steps and shows its last one', () => {
    const view = run([
      recorded('PasswordChanged', { secretVersion: 2, by: 'engine' }),
      recorded('DependentsFound', {
        machineUid: 'm1',
        dependents: [dependent('AppSvc'), dependent('ReportSvc')],
      }),
      recorded('ServiceCredentialUpdated', {
        machineUid: 'm1',
        dependent: 'AppSvc',
      }),
      recorded('ServiceCredentialUpdated', {
        machineUid: 'm1',
        dependent: 'ReportSvc',
      }),
      recorded('ServiceRestarted', { machineUid: 'm1', dependent: 'AppSvc' }),
      recorded('MachineFailed', {
        machineUid: 'm2',
        error: { code: 'Unreachable', message: 'connection refused' },
      }),
    ]);
    expect(renderView(view)).toEqual([
      'svc-app: password changed',
      '  > APP01  working      2 found, 2 set, 1 restarted  | AppSvc: restarted',
      '  ✗ WEB01  failed       | MACHINE FAILED: Unreachable connection refused',
    ]);
    const finished = applyEvent(
      view,
      'svc-app',
      recorded('JobFinished', { status: 'finished-with-errors' }),
      machineName,
    );
    expect(renderView(finished).slice(0, 2)).toEqual([
      'svc-app: finished-with-errors',
      '  ✓ APP01  done         2 found, 2 set, 1 restarted  | AppSvc: restarted',
    ]);
    expect(renderView(finished)[2]).toMatch(/^ {2}✗ WEB01 {2}failed/);
  });

  it('keeps each job’s machines under its own label, and cuts lines to the width', () => {
    let view = startJob([], 'svc-app', ['APP01']);
    view = startJob(view, 'svc-other', ['APP01']);
    view = applyEvent(
      view,
      'svc-other',
      recorded('ServiceRestartSkipped', {
        machineUid: 'm1',
        dependent: 'OtherSvc',
        reason: 'deferred',
      }),
      machineName,
    );
    const lines = renderView(view, 40);
    expect(lines).toEqual([
      'svc-app: waiting',
      '  … APP01  waiting',
      'svc-other: running',
      '  > APP01  working      1 not restarted…',
    ]);
    expect(lines.every((l) => l.length <= 40)).toBe(true);
  });

  it('is redrawn in place: the cursor goes back up over the lines drawn', () => {
    const written: string[] = [];
    const sink = liveSink(
      { write: (t) => written.push(t), columns: 80 },
      machineName,
    );
    sink.start('svc-app', ['APP01', 'WEB01']);
    sink.event(
      'svc-app',
      recorded('ServiceRestarted', { machineUid: 'm1', dependent: 'AppSvc' }),
    );
    expect(written[0]?.startsWith('\u001b[2Ksvc-app: waiting\n')).toBe(true);
    expect(written[1]?.startsWith('\u001b[3A\u001b[2Ksvc-app: running\n')).toBe(
      true,
    );
    expect(written[1]?.split('\n')).toHaveLength(4);
  });

  it('says which machines a finished job never reached', () => {
    const view = run([
      recorded('PasswordChangeFailed', {
        error: { code: 'Unreachable', message: 'no route' },
      }),
      recorded('JobFinished', { status: 'failed' }),
    ]);
    expect(renderView(view)).toEqual([
      'svc-app: failed',
      '  - APP01  not reached',
      '  - WEB01  not reached',
    ]);
  });

  it('prints a log line above the display and draws the display again below it', () => {
    const written: string[] = [];
    const log: string[] = [];
    const others = { write: (line: string) => void log.push(line) };
    const sink = liveSink(
      { write: (t) => written.push(t), columns: 80 },
      machineName,
      others,
    );
    sink.start('svc-app', ['APP01']);
    others.write('{"event":"ssh.connect.failed"}\n');
    expect(log).toEqual(['{"event":"ssh.connect.failed"}\n']);
    expect(written[1]).toBe('\u001b[2A\u001b[J');
    expect(written[2]?.startsWith('\u001b[2Ksvc-app: waiting')).toBe(true);
    sink.end();
    others.write('after\n');
    expect(written).toHaveLength(3);
  });
});
