import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createMemorySecretStore } from './memorySecrets.js';
import { Secret } from './secret.js';

const reveal = (r: E.Either<unknown, { password: Secret } | Secret>) =>
  E.isRight(r)
    ? r.right instanceof Secret
      ? r.right.reveal()
      : r.right.password.reveal()
    : undefined;

describe('createMemorySecretStore', () => {
  it('starts users of the initial map at version 1', async () => {
    const store = createMemorySecretStore({ u1: 'first' });

    const current = await store.current('u1');

    expect(E.isRight(current) && current.right.version).toBe(1);
    expect(reveal(current)).toBe('first');
  });

  it('stages without changing current, then promotes', async () => {
    const store = createMemorySecretStore({ u1: 'first' });

    const staged = await store.stage('u1', Secret.of('second'), 'job-a');

    expect(E.isRight(staged) && staged.right.version).toBe(2);
    expect(reveal(await store.current('u1'))).toBe('first');
    expect(await store.promote('u1', 2)).toEqual(E.right(undefined));
    expect(reveal(await store.current('u1'))).toBe('second');
    expect(reveal(await store.get('u1', 1))).toBe('first');
  });

  it("finds a job's latest staged version, promoted or not", async () => {
    const store = createMemorySecretStore();
    await store.stage('u1', Secret.of('a'), 'job-a');
    await store.stage('u1', Secret.of('b'), 'job-b');
    await store.stage('u1', Secret.of('c'), 'job-a');

    const found = await store.staged('u1', 'job-a');
    await store.promote('u1', 3);
    const again = await store.staged('u1', 'job-a');

    expect(E.isRight(found) && found.right?.version).toBe(3);
    expect(E.isRight(again) && again.right?.password.reveal()).toBe('c');
    expect(await store.staged('u1', 'job-z')).toEqual(E.right(undefined));
    expect(await store.staged('nobody', 'job-a')).toEqual(E.right(undefined));
  });

  it('reports what is missing without a password in the message', async () => {
    const store = createMemorySecretStore({ u1: 'hunter2' });

    const results = [
      await store.current('u2'),
      await store.get('u1', 9),
      await store.promote('u1', 2),
    ];

    expect(results.map((r) => E.isLeft(r) && r.left.code)).toEqual([
      'NotFound',
      'NotFound',
      'NotFound',
    ]);
    expect(JSON.stringify(results)).not.toContain('hunter2');
  });

  it('has no current password for a user that was only staged', async () => {
    const store = createMemorySecretStore();
    await store.stage('u1', Secret.of('a'), 'job-a');

    expect(E.isLeft(await store.current('u1'))).toBe(true);
  });
});
