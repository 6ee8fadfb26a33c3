import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  decodeRecordedEvent,
  decodeStream,
  formatDecodeFailure,
  replay,
} from './decode.js';
import type { RecordedEvent } from './ports.js';

const gw = 'AAAAAAAAAAAAAAAAAAAAAA';
const m1 = 'BBBBBBBBBBBBBBBBBBBBBB';
const u1 = 'CCCCCCCCCCCCCCCCCCCCCC';

const added = {
  gatewayUid: gw,
  machineUid: m1,
  userUid: u1,
  kind: 'service',
  by: 'alice',
  at: '2026-01-01T00:00:00.000Z',
};

const recorded = (
  type: string,
  data: unknown,
  revision = 0,
): RecordedEvent => ({
  stream: `mappings-${gw}`,
  revision,
  position: BigInt(revision + 10),
  type,
  data,
  recordedAt: '2026-01-01T00:00:00.000Z',
});

async function* iterate<A>(items: ReadonlyArray<A>) {
  yield* items;
}

describe('decodeRecordedEvent', () => {
  it('decodes a stored event', () => {
    expect(decodeRecordedEvent(recorded('MappingAdded', added))).toEqual(
      E.right({ type: 'MappingAdded', data: added }),
    );
  });

  it('names stream, position, paths and expected types', () => {
    const bad = { ...added, kind: 'registry', userUid: undefined, at: 7 };

    const r = decodeRecordedEvent(recorded('MappingAdded', bad, 3));

    expect(r).toEqual(
      E.left({
        _tag: 'EventDecodeFailed',
        stream: `mappings-${gw}`,
        revision: 3,
        position: 13n,
        type: 'MappingAdded',
        problems: [
          'data.userUid: missing, expected Uid',
          'data.kind: expected DependentKind',
          'data.at: expected string',
        ],
      }),
    );
  });

  it('never repeats the stored value', () => {
    const secret = 'P@ssw0rd-never-shown';
    const r = decodeRecordedEvent(
      recorded('MappingAdded', { ...added, by: { password: secret } }),
    );

    expect(E.isLeft(r)).toBe(true);
    expect(JSON.stringify(E.isLeft(r) ? r.left.problems : [])).not.toContain(
      secret,
    );
    if (E.isLeft(r)) {
      expect(formatDecodeFailure(r.left)).not.toContain(secret);
    }
  });

  it('reports an unknown type and data that is not an object', () => {
    const unknown = decodeRecordedEvent(recorded('MappingRenamed', {}));
    const notObject = decodeRecordedEvent(recorded('MappingAdded', 'x'));

    expect(E.isLeft(unknown) && unknown.left.problems[0]).toMatch(
      /^type: expected one of MappingAdded, /,
    );
    expect(E.isLeft(notObject) && notObject.left.problems).toEqual([
      'data: expected object',
    ]);
  });

  it('names array items by index', () => {
    const r = decodeRecordedEvent({
      ...recorded('RotationScheduled', {
        jobId: u1,
        gatewayUid: gw,
        userUid: u1,
        targets: [{ machineUid: m1, kinds: ['service', 'dns'] }, 'x'],
        options: { external: false, restart: true },
        by: 'alice',
        at: '2026-01-01T00:00:00.000Z',
      }),
      stream: `job-${u1}`,
    });

    expect(E.isLeft(r) && r.left.problems).toEqual([
      'data.targets.0.kinds.1: expected DependentKind',
      'data.targets.1: expected object',
    ]);
  });

  it('formats a failure for humans', () => {
    const r = decodeRecordedEvent(recorded('MappingAdded', {}, 2));

    expect(E.isLeft(r) && formatDecodeFailure(r.left)).toMatch(
      /^event MappingAdded at mappings-A{22} revision 2 \(position 12n?\) does not decode: data.gatewayUid: missing, expected Uid; /,
    );
  });
});

describe('decodeStream', () => {
  it('yields each event, then stops at the first bad one', async () => {
    const out = [];
    for await (const e of decodeStream(
      iterate([
        recorded('MappingAdded', added, 0),
        recorded('MappingAdded', {}, 1),
        recorded('MappingAdded', added, 2),
      ]),
    )) {
      out.push(e);
    }

    expect(out.map((e) => (E.isLeft(e) ? 'left' : 'right'))).toEqual([
      'right',
      'left',
    ]);
    expect(E.isLeft(out[1]!) && out[1].left.revision).toBe(1);
  });
});

describe('replay', () => {
  it('folds events and returns the next expected revision', async () => {
    const r = await replay(
      iterate([
        recorded('MappingAdded', added, 0),
        recorded('MappingRemoved', added, 1),
      ]),
      [] as string[],
      (s, e) => [...s, e.type],
    );

    expect(r).toEqual(
      E.right({ state: ['MappingAdded', 'MappingRemoved'], expected: 1 }),
    );
  });

  it('expects no stream when nothing was read, and stops on a bad event', async () => {
    const empty = await replay(iterate([]), 0, (n) => n + 1);
    const bad = await replay(
      iterate([recorded('Nope', {}, 0)]),
      0,
      (n) => n + 1,
    );

    expect(empty).toEqual(E.right({ state: 0, expected: 'no-stream' }));
    expect(E.isLeft(bad)).toBe(true);
  });
});
