import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeRecordedEvent } from './decode.js';
import {
  GatewayEventCodec,
  JobEventCodec,
  MappingEventCodec,
  RotorEventCodec,
} from './events.js';
import type { RecordedEvent } from './ports.js';
import { eventArbitraries, rotorEventArb } from './testing/arbitraries.js';

const stored = (type: string, data: unknown): RecordedEvent => ({
  stream: 'job-x',
  revision: 0,
  position: 1n,
  type,
  data,
  recordedAt: '2026-01-01T00:00:00.000Z',
});

describe('event codecs (properties)', () => {
  it('have an arbitrary for every event type', () => {
    const codecTypes = [
      ...MappingEventCodec.types,
      ...JobEventCodec.types,
      ...GatewayEventCodec.types,
    ]
      .map((c) => c.name)
      .sort();

    expect(Object.keys(eventArbitraries).sort()).toEqual(codecTypes);
  });

  it('every generated event fits its codec', () => {
    fc.assert(
      fc.property(rotorEventArb, (event) => {
        expect(RotorEventCodec.is(event)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('every event encodes, goes through JSON, and decodes to itself', () => {
    fc.assert(
      fc.property(rotorEventArb, (event) => {
        const encoded = RotorEventCodec.encode(event);
        const json = JSON.parse(JSON.stringify(encoded.data)) as unknown;

        expect(decodeRecordedEvent(stored(encoded.type, json))).toEqual(
          E.right(event),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('an event with a field removed is an error naming the field', () => {
    fc.assert(
      fc.property(rotorEventArb, fc.nat(), (event, pick) => {
        const keys = Object.keys(event.data);
        const key = keys[pick % keys.length]!;
        const data = Object.fromEntries(
          Object.entries(event.data).filter(([k]) => k !== key),
        );

        const r = decodeRecordedEvent(stored(event.type, data));

        // Every top-level field of every event is required.
        expect(E.isLeft(r)).toBe(true);
        const problems = E.isLeft(r) ? r.left.problems : [];
        expect(
          problems.some((p) => p.startsWith(`data.${key}: missing, expected `)),
        ).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
