import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decideDiscovery, impliedMappings } from './discovery.js';
import { evolveGateway, initialGatewayState } from './gatewayState.js';
import { failure } from './failure.js';
import { inventoryOf } from './records.js';
import { testMachine, testUser } from './testing/fixtures.js';
import { testUid } from './testing/uids.js';

const gw = testUid('gw');
const app = testMachine('app01', gw);
const web = testMachine('web01', gw);
const other = testMachine('elsewhere', testUid('gw2'));
const user = testUser('svc-app');
const context = {
  inventory: inventoryOf([app, web, other, user]),
  gatewayUid: gw,
};
const meta = { by: 'tester', at: '2026-01-01T00:00:00.000Z' };

const results = [
  {
    machineUid: app.uid,
    outcome: E.right([
      {
        kind: 'service' as const,
        name: 'AppSvc',
        account: 'C\\svc-app',
        userUid: user.uid,
      },
      { kind: 'service' as const, name: 'Spooler', account: 'LocalSystem' },
    ]),
  },
  { machineUid: web.uid, outcome: E.left(failure('Unreachable', 'down')) },
  {
    machineUid: other.uid,
    outcome: E.right([
      {
        kind: 'task' as const,
        name: '\\T',
        account: 'C\\svc-app',
        userUid: user.uid,
      },
    ]),
  },
];

describe('discovery', () => {
  it('records each machine and adds only the implied mappings', () => {
    const decision = decideDiscovery(
      { type: 'RecordDiscovery', results, map: true, ...meta },
      initialGatewayState(gw),
      context,
    );
    expect(decision.events.map((e) => e.type)).toEqual([
      'DependentsDiscovered',
      'DiscoveryFailed',
      'MappingAdded',
    ]);
    expect(decision.events[2]?.data).toMatchObject({
      machineUid: app.uid,
      userUid: user.uid,
      kind: 'service',
    });
    expect(decision.warnings).toEqual([
      expect.objectContaining({
        _tag: 'MachineSkipped',
        machineUid: other.uid,
      }),
    ]);
    expect(decision.expected).toBe('no-stream');
    const state = decision.events.reduce(
      evolveGateway,
      initialGatewayState(gw),
    );
    expect(state.mappingEvents).toBe(3);
    expect(state.mappings.size).toBe(1);
    // Run again: nothing new to add, and nothing is removed.
    expect(impliedMappings(state, results.slice(0, 2))).toEqual([]);
    const again = decideDiscovery(
      { type: 'RecordDiscovery', results, map: true, ...meta },
      state,
      context,
    );
    expect(again.expected).toBe(2);
    expect(again.events.some((e) => e.type === 'MappingRemoved')).toBe(false);
  });

  it('without map, records and adds nothing', () => {
    const decision = decideDiscovery(
      { type: 'RecordDiscovery', results, map: false, ...meta },
      initialGatewayState(gw),
      context,
    );
    expect(decision.events.some((e) => e.type === 'MappingAdded')).toBe(false);
  });
});
