import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RotorEvent } from './events.js';
import { evolveGateway, initialGatewayState } from './gatewayState.js';
import { rotorEventArb, uidArb } from './testing/arbitraries.js';

const gatewayOf = (e: RotorEvent): string | undefined =>
  'gatewayUid' in e.data ? e.data.gatewayUid : undefined;

// Events that carry a gatewayUid and are not written to the mapping stream.
const notMapping = new Set<string>([
  'RotationScheduled',
  'JobReopened',
  'JobClaimed',
  'JobClaimRenewed',
  'JobClaimReleased',
  'GatewayHeartbeat',
  'GatewayProcessStopped',
]);

describe('evolveGateway (properties)', () => {
  it('is total and deterministic over any events', () => {
    fc.assert(
      fc.property(
        uidArb,
        fc.array(rotorEventArb, { maxLength: 30 }),
        (gw, events) => {
          const once = events.reduce(evolveGateway, initialGatewayState(gw));
          const twice = events.reduce(evolveGateway, initialGatewayState(gw));

          expect(twice).toEqual(once);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("ignores other gateways' mapping events and counts its own", () => {
    fc.assert(
      fc.property(
        uidArb,
        fc.array(rotorEventArb, { maxLength: 30 }),
        fc.array(fc.boolean(), { minLength: 30, maxLength: 30 }),
        (gw, events, mine) => {
          // Re-home a random part of the events onto this gateway.
          const homed = events.map((e, i) =>
            mine[i] === true && gatewayOf(e) !== undefined
              ? ({ ...e, data: { ...e.data, gatewayUid: gw } } as RotorEvent)
              : e,
          );
          const foreign = homed.filter((e) => gatewayOf(e) !== gw);
          const own = homed.filter((e) => gatewayOf(e) === gw);
          const state = homed.reduce(evolveGateway, initialGatewayState(gw));
          const ownMapping = own.filter((e) => !notMapping.has(e.type));

          expect(state.mappingEvents).toBe(ownMapping.length);
          expect(
            foreign
              .filter((e) => gatewayOf(e) !== undefined)
              .reduce(evolveGateway, initialGatewayState(gw)),
          ).toEqual(initialGatewayState(gw));
          for (const m of state.mappings.values()) {
            expect(m.gatewayUid).toBe(gw);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
