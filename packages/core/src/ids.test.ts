import { describe, expect, it } from 'vitest';
import { randomIds } from './ids.js';
import { nodeRandom } from './passwordRandom.js';
import { isUid } from './uid.js';

describe('randomIds', () => {
  it('makes each uid from 16 bytes of the source', () => {
    const ids = randomIds({ bytes: (n) => new Uint8Array(n).fill(0xab) });

    expect(ids.newUid()).toBe('q6urq6urq6urq6urq6urqw');
  });

  it('never starts a uid with "-", which a command line reads as an option', () => {
    const ids = randomIds({ bytes: (n) => new Uint8Array(n).fill(0xfb) });

    expect(ids.newUid()).toBe('e_v7-_v7-_v7-_v7-_v7-w');
  });

  it('makes distinct, well-formed uids from node:crypto', () => {
    const ids = randomIds(nodeRandom);
    const uids = Array.from({ length: 100 }, () => ids.newUid());

    expect(uids.every(isUid)).toBe(true);
    expect(new Set(uids).size).toBe(100);
  });
});
