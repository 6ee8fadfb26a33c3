import { describe, expect, it } from 'vitest';
import { inventoryOf } from '../records.js';
import { decideSpec } from './decider.js';
import { testMachine, testUser } from './fixtures.js';
import { testUid } from './uids.js';

const gw = testUid('gw');
const m1 = testMachine('m1', gw);
const u1 = testUser('u1');
const spec = decideSpec({ inventory: inventoryOf([m1, u1]), gatewayUid: gw });
const command = {
  type: 'AddMapping' as const,
  machineUid: m1.uid,
  userUid: u1.uid,
  kinds: ['task'],
  by: 'a',
  at: '2026-01-01T00:00:00.000Z',
};

describe('decideSpec', () => {
  it('fails when the events differ', () => {
    expect(() => spec.given().when(command).thenEvents([])).toThrow();
  });

  it('fails when events were expected and an error came', () => {
    expect(() =>
      spec
        .given()
        .when({ ...command, kinds: ['x'] })
        .thenEvents([]),
    ).toThrow(/expected events, got error InvalidKind/);
  });

  it('fails when an error was expected and events came', () => {
    expect(() =>
      spec.given().when(command).thenError({ _tag: 'InvalidKind', kind: 'x' }),
    ).toThrow(/expected error InvalidKind, got 1 event/);
  });

  it('fails on unexpected warnings', () => {
    const remove = { ...command, type: 'RemoveMapping' as const };

    expect(() => spec.given().when(remove).thenEvents([])).toThrow();
  });
});
