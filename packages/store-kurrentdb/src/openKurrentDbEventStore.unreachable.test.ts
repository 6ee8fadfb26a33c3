import type { EventStore } from '@rotor/core';
import { isLeft } from 'fp-ts/lib/Either.js';
import { createServer, type AddressInfo } from 'node:net';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { openKurrentDbEventStore } from './openKurrentDbEventStore.js';

const closedPort = async (): Promise<number> => {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));

  return port;
};

const storeErrorOfThrown = (cause: unknown): unknown =>
  typeof cause === 'object' && cause !== null && 'storeError' in cause
    ? cause.storeError
    : cause;

let store: EventStore | undefined;

const openUnreachable = async (): Promise<EventStore> => {
  const port = await closedPort();
  const opened = await openKurrentDbEventStore({
    connectionString: `kurrentdb://127.0.0.1:${port}?tls=false`,
  });
  if (isLeft(opened)) {
    throw new Error(opened.left._tag);
  }
  store = opened.right;

  return store;
};

afterEach(async () => {
  await store?.close();
  store = undefined;
});

// A real client against a closed loopback port: no server needed.
describe('openKurrentDbEventStore against an unreachable server', () => {
  it('refuses a connection string it cannot parse', async () => {
    const opened = await openKurrentDbEventStore({
      connectionString: 'not a url',
    });
    expect(isLeft(opened) && opened.left._tag).toBe('StoreFailed');
  });

  it('answers an append with StoreUnavailable', async () => {
    const s = await openUnreachable();
    const result = await s.append(
      'job-1',
      [{ type: 'T', data: { n: 1 } }],
      'no-stream',
    );
    expect(isLeft(result) && result.left._tag).toBe('StoreUnavailable');
  }, 20_000);

  it('throws StoreUnavailable from a stream read', async () => {
    const s = await openUnreachable();
    const read = async () => {
      for await (const e of s.readStream('job-1')) {
        expect(e).toBeUndefined();
      }
    };
    const thrown = await read().then(
      () => undefined,
      (cause: unknown) => cause,
    );
    expect(storeErrorOfThrown(thrown)).toMatchObject({
      _tag: 'StoreUnavailable',
    });
  }, 20_000);

  it('fails a follow with StoreUnavailable', async () => {
    const s = await openUnreachable();
    const thrown = await firstValueFrom(s.follow()).then(
      () => undefined,
      (cause: unknown) => cause,
    );
    expect(storeErrorOfThrown(thrown)).toMatchObject({
      _tag: 'StoreUnavailable',
    });
  }, 20_000);

  it('refuses data that is not JSON before sending anything', async () => {
    const s = await openUnreachable();
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const result = await s.append(
      'job-1',
      [{ type: 'T', data: cyclic }],
      'any',
    );
    expect(isLeft(result) && result.left).toEqual({
      _tag: 'StoreFailed',
      message: 'event data is not plain JSON',
    });
  });

  it('after close refuses appends and completes followers', async () => {
    const s = await openUnreachable();
    await s.close();
    const result = await s.append('x', [{ type: 'T', data: {} }], 'any');
    expect(isLeft(result) && result.left._tag).toBe('StoreUnavailable');
    let completed = false;
    s.follow().subscribe({ complete: () => (completed = true) });
    expect(completed).toBe(true);
  });
});
