import { systemClock } from '@rotor/core';
import { recordHeartbeat, recordStopped } from '@rotor/gateway';
import { openSqliteEventStore } from '@rotor/store-sqlite';
import * as E from 'fp-ts/lib/Either.js';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCli, type CliFixture } from '../../test/cliHarness.js';

let cli: CliFixture | undefined;
afterEach(async () => {
  await cli?.stop();
  cli = undefined;
});

interface Listed {
  readonly gateways: ReadonlyArray<{
    readonly name: string;
    readonly status: string;
    readonly processes: number;
  }>;
}

describe('rotor gateway list', () => {
  it('shows ONLINE with the live processes from their heartbeats, else OFFLINE', async () => {
    cli = await startCli();
    const gateway = cli.running.fleet.gateway;
    const before = await cli.json<Listed>('gateway', 'list');
    expect(before.gateways).toEqual([
      { name: gateway.name, uid: gateway.uid, status: 'OFFLINE', processes: 0 },
    ]);

    const opened = await openSqliteEventStore({
      path: join(cli.dir, 'rotor.db'),
    });
    if (E.isLeft(opened)) {
      throw new Error('no store');
    }
    const store = opened.right;
    const who = (processId: string) => ({
      store,
      gatewayUid: gateway.uid,
      processId,
      clock: systemClock,
    });
    try {
      await recordHeartbeat({ ...who('a'), ttlMs: 60_000 });
      await recordHeartbeat({ ...who('b'), ttlMs: 60_000 });
      // Expired long ago: a process that died.
      await recordHeartbeat({
        ...who('c'),
        clock: { now: () => new Date('2020-01-01T00:00:00Z') },
        ttlMs: 1_000,
      });
      const online = await cli.run('gateway', 'list');
      expect(online.stdout).toContain('ONLINE (2 processes)');
      const listed = await cli.json<Listed>('gateway', 'list');
      expect(listed.gateways[0]?.processes).toBe(2);

      await recordStopped(who('a'));
      expect(
        (await cli.json<Listed>('gateway', 'list')).gateways[0]?.processes,
      ).toBe(1);
      await recordStopped(who('b'));
      const after = await cli.run('gateway', 'list');
      expect(after.stdout).toContain('OFFLINE');
      expect(after.stdout).not.toContain('ONLINE');
    } finally {
      await store.close();
    }
  });
});
