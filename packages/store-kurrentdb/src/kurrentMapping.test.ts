import {
  ANY,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  type ResolvedEvent,
} from '@kurrent/kurrentdb-client';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actualRevisionOf,
  appendResultOf,
  fromPositionOf,
  fromRevisionOf,
  positionToBigint,
  recordedOf,
  streamStateOf,
} from './kurrentMapping.js';

const created = new Date('2026-12-03T10:00:00.000Z');

const resolved = (
  overrides: Partial<{
    streamId: string;
    type: string;
    isJson: boolean;
    commit: bigint;
  }> = {},
): ResolvedEvent =>
  ({
    event: {
      streamId: overrides.streamId ?? 'job-1',
      id: '6f1c5a52-2a0e-4c3e-9d7e-000000000001',
      isJson: overrides.isJson ?? true,
      revision: 3n,
      type: overrides.type ?? 'JobScheduled',
      created,
      data: { n: 1 },
      metadata: undefined,
      position: { commit: overrides.commit ?? 900n, prepare: 900n },
    },
  }) as ResolvedEvent;

describe('streamStateOf', () => {
  it('maps the three states to the client constants', () => {
    expect(streamStateOf('any')).toBe(ANY);
    expect(streamStateOf('no-stream')).toBe(NO_STREAM);
    expect(streamStateOf('stream-exists')).toBe(STREAM_EXISTS);
  });

  it('maps a revision to the bigint of the last event', () => {
    fc.assert(
      fc.property(fc.nat(), (n) => {
        expect(streamStateOf(n)).toBe(BigInt(n));
      }),
      { numRuns: 200 },
    );
  });
});

describe('actualRevisionOf', () => {
  it('maps no stream and a revision', () => {
    expect(actualRevisionOf(NO_STREAM)).toBe('no-stream');
    expect(actualRevisionOf(41n)).toBe(41);
  });
});

describe('positions', () => {
  it('uses the commit position as the bigint', () => {
    expect(positionToBigint({ commit: 1234n, prepare: 1200n })).toBe(1234n);
  });

  it('starts at the beginning without a position, else at it', () => {
    expect(fromPositionOf(undefined)).toBe(START);
    expect(fromPositionOf(0n)).toBe(START);
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 62n }), (p) => {
        const from = fromPositionOf(p);
        expect(from).toEqual({ commit: p, prepare: p });
        expect(
          positionToBigint(from as { commit: bigint; prepare: bigint }),
        ).toBe(p);
      }),
      { numRuns: 200 },
    );
  });

  it('reads a stream from its start or a revision', () => {
    expect(fromRevisionOf(undefined)).toBe(START);
    expect(fromRevisionOf(0)).toBe(START);
    expect(fromRevisionOf(7)).toBe(7n);
  });
});

describe('appendResultOf', () => {
  it('takes the last revision and the commit position', () => {
    expect(
      appendResultOf({
        success: true,
        nextExpectedRevision: 4n,
        position: { commit: 5000n, prepare: 4990n },
      }),
    ).toEqual({ revision: 4, position: 5000n });
  });
});

describe('recordedOf', () => {
  it('maps a JSON event', () => {
    expect(recordedOf(resolved())).toEqual({
      stream: 'job-1',
      revision: 3,
      position: 900n,
      type: 'JobScheduled',
      data: { n: 1 },
      recordedAt: '2026-12-03T10:00:00.000Z',
    });
  });

  it('drops system events, binary events and links without events', () => {
    expect(recordedOf(resolved({ type: '$metadata' }))).toBeUndefined();
    expect(recordedOf(resolved({ isJson: false }))).toBeUndefined();
    expect(recordedOf({})).toBeUndefined();
  });

  it('takes the namespace off and drops streams outside it', () => {
    const shown = (name: string) =>
      name.startsWith('t1-') ? name.slice(3) : undefined;
    expect(recordedOf(resolved({ streamId: 't1-job-1' }), shown)?.stream).toBe(
      'job-1',
    );
    expect(
      recordedOf(resolved({ streamId: 't2-job-1' }), shown),
    ).toBeUndefined();
  });
});
