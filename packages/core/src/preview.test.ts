import { describe, expect, it } from 'vitest';
import { unreachable } from '../test/engine/fakeHost.js';
import { setup } from '../test/engine/harness.js';
import {
  allKindsTarget,
  gatewayUid,
  pool,
  service,
  task,
  uid,
  userUid,
} from '../test/engine/fixtures.js';
import { previewRotation } from './preview.js';

describe('previewRotation (dry run)', () => {
  it('lists what would be set and restarted, and changes nothing', async () => {
    const { host, inventory, rotator, store } = await setup({
      fleet: {
        1: [service('Web'), service('Batch', 'stopped'), task('\\T')],
        2: [pool('Pool')],
        3: [service('Gone')],
      },
      faults: (c) => (c.machineUid === uid(3) ? unreachable : undefined),
    });
    const preview = await previewRotation(
      {
        host,
        inventory,
        retry: { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
      },
      {
        gatewayUid,
        userUid,
        targets: [1, 2, 3].map(allKindsTarget),
        options: { external: false, restart: true },
      },
    );
    const actions = preview.machines.map((m) =>
      m.actions.map((a) =>
        `${a.type} ${
          a.type === 'UpdateCredential'
            ? a.dependent.name
            : a.type === 'RecycleAppPool'
              ? a.pool.name
              : a.type === 'Enumerate'
                ? ''
                : a.service.name
        }`.trim(),
      ),
    );
    expect(actions).toEqual([
      [
        'UpdateCredential Web',
        'UpdateCredential Batch',
        'UpdateCredential \\T',
        'RestartService Web',
        'SkipRestart Batch',
      ],
      ['UpdateCredential Pool', 'RecycleAppPool Pool'],
      [],
    ]);
    expect(preview.machines[2]?.failure?.code).toBe('Unreachable');
    expect(host.done.filter((d) => !d.startsWith('enumerate'))).toEqual([]);
    expect(rotator.calls).toEqual([]);
    let events = 0;
    for await (const _ of store.readAll()) {
      events++;
    }
    expect(events).toBe(1);
  });
});
