import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { describeDecideError } from './decideErrors.js';
import type { DecideContext } from './decideTypes.js';
import {
  evolveGateway,
  initialGatewayState,
  type GatewayState,
} from './gatewayState.js';
import type { MappingAdded } from './events.js';
import { inventoryOf } from './records.js';
import { testMachine, testUser } from './testing/fixtures.js';
import { testUid } from './testing/uids.js';

const gw = testUid('gw');
const home = testMachine('home', gw);
const other = testMachine('other', gw);
const local = testUser('local', {
  scope: 'local',
  login: '.\\svc-app',
  passwordHostUid: home.uid,
});
const homeless = testUser('homeless', { scope: 'local', login: '.\\svc-x' });
const context: DecideContext = {
  gatewayUid: gw,
  inventory: inventoryOf([
    { type: 'gateway', uid: gw, name: 'gw' },
    home,
    other,
    local,
    homeless,
  ]),
};
const meta = { by: 'test', at: '2026-01-01T00:00:00.000Z' };
const add = (machineUid: string, userUid: string) =>
  decide(
    { type: 'AddMapping', machineUid, userUid, kinds: ['service'], ...meta },
    initialGatewayState(gw),
    context,
  );

describe('decide: a local user maps only to its own machine', () => {
  it('maps a local user to its own machine', () => {
    const decided = add(home.uid, local.uid);
    expect(E.isRight(decided) && decided.right.events).toHaveLength(1);
  });

  it('refuses another machine, naming the user, the machine and its home', () => {
    const decided = add(other.uid, local.uid);
    expect(decided).toEqual(
      E.left({
        _tag: 'LocalUserElsewhere',
        userUid: local.uid,
        machineUid: other.uid,
        homeMachineUid: home.uid,
      }),
    );
    if (E.isLeft(decided)) {
      expect(describeDecideError(decided.left)).toBe(
        `user ${local.uid} is a local account of machine ${home.uid}; it does not exist on machine ${other.uid}`,
      );
    }
  });

  it('refuses a local user whose record names no machine', () => {
    const decided = add(home.uid, homeless.uid);
    expect(decided).toEqual(
      E.left({
        _tag: 'LocalUserElsewhere',
        userUid: homeless.uid,
        machineUid: home.uid,
      }),
    );
    if (E.isLeft(decided)) {
      expect(describeDecideError(decided.left)).toContain('names no machine');
    }
  });

  it('skips such a mapping recorded before, with a warning', () => {
    const mapped = (machineUid: string): MappingAdded => ({
      type: 'MappingAdded',
      data: {
        gatewayUid: gw,
        machineUid: machineUid as MappingAdded['data']['machineUid'],
        userUid: local.uid,
        kind: 'service',
        ...meta,
      },
    });
    const state: GatewayState = [mapped(home.uid), mapped(other.uid)].reduce(
      evolveGateway,
      initialGatewayState(gw),
    );
    const decided = decide(
      {
        type: 'ScheduleRotation',
        userUid: local.uid,
        jobId: testUid('job'),
        options: { external: false, restart: true },
        ...meta,
      },
      state,
      context,
    );
    expect(E.isRight(decided)).toBe(true);
    if (E.isRight(decided)) {
      expect(decided.right.warnings).toEqual([
        {
          _tag: 'MachineSkipped',
          machineUid: other.uid,
          error: {
            _tag: 'LocalUserElsewhere',
            userUid: local.uid,
            machineUid: other.uid,
            homeMachineUid: home.uid,
          },
        },
      ]);
      expect(decided.right.events[0]?.data).toMatchObject({
        targets: [{ machineUid: home.uid, kinds: ['service'] }],
      });
    }
  });
});
