import { describe, expect, it } from 'vitest';
import {
  found,
  onDependent,
  passwordChanged,
  scheduled,
  service,
  allKindsTarget,
  uid,
} from '../test/engine/fixtures.js';
import type { JobEvent } from './events.js';
import { machineOf } from './jobState.js';
import { evolveJob, foldJob } from './jobStateEvolve.js';

const events: JobEvent[] = [
  scheduled([allKindsTarget(1), allKindsTarget(2)]),
  passwordChanged(2),
  found(1, [service('Web')]),
];
const update: JobEvent = {
  type: 'ServiceCredentialUpdated',
  data: { ...onDependent(2, 'Web'), secretVersion: 2 },
};

describe('job state machines', () => {
  it('reads, compares, spreads and serializes as a plain record', () => {
    const state = foldJob(events);
    if (state.status !== 'running') {
      throw new Error('not running');
    }
    expect(Object.keys(state)).toEqual([
      'status',
      'job',
      'password',
      'machines',
    ]);
    expect(Object.keys(state.machines)).toEqual([uid(1)]);
    const plain = JSON.parse(JSON.stringify(state)) as unknown;
    expect(state).toEqual(plain);
    expect({ ...state }).toEqual(state);
    expect(state.machines[uid(1)]).toBe(machineOf(state, uid(1)));
  });

  it('leaves the previous state as it was, and shares the other machines', () => {
    const before = foldJob(events);
    const after = evolveJob(before, update);
    if (before.status !== 'running' || after.status !== 'running') {
      throw new Error('not running');
    }
    expect(before.machines[uid(2)]).toBeUndefined();
    expect(after.machines[uid(2)]?.dependents).toEqual({
      'service:web': { status: 'updated', secretVersion: 2 },
    });
    expect(machineOf(after, uid(1))).toBe(machineOf(before, uid(1)));
  });

  it('evolves a state written out by hand', () => {
    const folded = foldJob(events);
    const byHand = JSON.parse(JSON.stringify(folded)) as typeof folded;
    expect(evolveJob(byHand, update)).toEqual(evolveJob(folded, update));
  });
});
