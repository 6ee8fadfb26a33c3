import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { mappingStream } from './events.js';
import { createMemoryEventStore } from './memoryStore.js';
import { inventoryOf } from './records.js';
import { submitCommand } from './submit.js';
import { testMachine, testUser } from './testing/fixtures.js';
import { testUid } from './testing/uids.js';

const gatewayUid = testUid('gw');
const machine = testMachine('app01', gatewayUid);
const user = testUser('svcapp');
const context = { inventory: inventoryOf([machine, user]), gatewayUid };
const add = {
  type: 'AddMapping',
  machineUid: machine.uid,
  userUid: user.uid,
  kinds: ['service'],
  by: 'test',
  at: '2026-12-03T00:00:00.000Z',
} as const;

describe('submitCommand', () => {
  it('appends what is decided, and nothing for a repeated command', async () => {
    const store = createMemoryEventStore();
    const first = await submitCommand(store, add, context);
    const again = await submitCommand(store, add, context);
    const stored = [];
    for await (const e of store.readStream(mappingStream(gatewayUid))) {
      stored.push(e.type);
    }

    expect(E.isRight(first) && first.right.events.length).toBe(1);
    expect(E.isRight(again) && again.right.events.length).toBe(0);
    expect(stored).toEqual(['MappingAdded']);
  });

  it('returns a refusal and writes nothing', async () => {
    const store = createMemoryEventStore();
    const refused = await submitCommand(
      store,
      { ...add, kinds: ['printer'] },
      context,
    );
    const stored = [];
    for await (const e of store.readAll()) {
      stored.push(e);
    }

    expect(E.isLeft(refused) && refused.left._tag).toBe('InvalidKind');
    expect(stored).toEqual([]);
  });
});
