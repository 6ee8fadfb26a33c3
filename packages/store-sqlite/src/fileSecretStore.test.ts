import { Secret } from '@rotor/core';
import { isLeft } from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  openFileSecretStore,
  type FileSecretStore,
  type FileSecretStoreOptions,
} from './fileSecretStore.js';

const oldPassword = 'Old-P4ss-🔑-ünïcode-' + 'a'.repeat(20);
const newPassword = 'New-P4ss-𝄞-quote"-' + 'b'.repeat(20);
const user = 'dXNlci11aWQtMDAwMDAwMQ';
const key = randomBytes(32);

let dir = '';
let path = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotor-secrets-'));
  path = join(dir, 'secrets.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const right = <E, A>(either: Either<E, A>): A => {
  if (isLeft(either)) {
    throw new Error(`expected success, got ${JSON.stringify(either.left)}`);
  }

  return either.right;
};

const openStore = async (
  options: Partial<FileSecretStoreOptions> = {},
): Promise<FileSecretStore> =>
  right(await openFileSecretStore({ path, key, ...options }));

const revealed = async (
  result: Promise<Either<unknown, { password: Secret }>>,
) => right(await result).password.reveal();

describe('openFileSecretStore', () => {
  it('stages, promotes and reads back every version', async () => {
    const store = await openStore();
    expect(right(await store.setInitial(user, Secret.of(oldPassword)))).toEqual(
      expect.objectContaining({ version: 1, created: true }),
    );
    const staged = right(await store.stage(user, Secret.of(newPassword), 'j1'));
    expect(staged.version).toBe(2);
    expect(await revealed(store.current(user))).toBe(oldPassword);

    const found = right(await store.staged(user, 'j1'));
    expect(found?.version).toBe(2);
    expect(found?.password.reveal()).toBe(newPassword);
    expect(right(await store.staged(user, 'other-job'))).toBeUndefined();

    right(await store.promote(user, 2));
    right(await store.promote(user, 2));
    expect(right(await store.current(user)).version).toBe(2);
    expect(await revealed(store.current(user))).toBe(newPassword);
    expect(right(await store.get(user, 1)).reveal()).toBe(oldPassword);
    expect(right(await store.staged(user, 'j1'))?.version).toBe(2);
  });

  it('returns the version a job already staged instead of a new one', async () => {
    const store = await openStore();
    right(await store.stage(user, Secret.of(newPassword), 'j1'));
    const again = right(await store.stage(user, Secret.of('another'), 'j1'));
    expect(again.version).toBe(1);
    expect(again.password.reveal()).toBe(newPassword);
  });

  it('keeps an existing current password on setInitial', async () => {
    const store = await openStore();
    right(await store.setInitial(user, Secret.of(oldPassword)));
    right(await store.stage(user, Secret.of(newPassword), 'j1'));
    right(await store.promote(user, 2));
    const kept = right(await store.setInitial(user, Secret.of('stale')));
    expect(kept).toEqual(
      expect.objectContaining({ version: 2, created: false }),
    );
    expect(kept.password.reveal()).toBe(newPassword);
  });

  it('reports unknown users and versions as NotFound', async () => {
    const store = await openStore();
    expect(await store.current('nobody')).toMatchObject({
      left: { code: 'NotFound' },
    });
    right(await store.setInitial(user, Secret.of(oldPassword)));
    expect(await store.get(user, 7)).toMatchObject({
      left: { code: 'NotFound' },
    });
    expect(await store.promote(user, 7)).toMatchObject({
      left: { code: 'NotFound' },
    });
  });

  it('serialises concurrent changes', async () => {
    const store = await openStore();
    const users = Array.from({ length: 12 }, (_, i) => `user-${i}`);
    await Promise.all(
      users.map((u) => store.stage(u, Secret.of(`pw-${u}`), 'j')),
    );
    for (const u of users) {
      expect(right(await store.get(u, 1)).reveal()).toBe(`pw-${u}`);
    }
  });
});

describe('the file on disk', () => {
  it('never holds a password in clear, and is mode 0600', async () => {
    const store = await openStore();
    right(await store.setInitial(user, Secret.of(oldPassword)));
    right(await store.stage(user, Secret.of(newPassword), 'j1'));
    const bytes = await readFile(path);
    for (const password of [oldPassword, newPassword]) {
      for (const encoding of ['utf8', 'utf16le', 'base64', 'hex'] as const) {
        const needle = Buffer.from(password, 'utf8').toString(encoding);
        expect(bytes.includes(Buffer.from(needle))).toBe(false);
      }
      expect(bytes.includes(Buffer.from(password, 'utf16le'))).toBe(false);
    }
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['secrets.json']);
  });

  it('refuses a wrong key as Corrupt, without the password', async () => {
    right(await (await openStore()).setInitial(user, Secret.of(oldPassword)));
    const other = await openStore({ key: randomBytes(32) });
    const result = await other.current(user);
    expect(result).toMatchObject({ left: { code: 'Corrupt' } });
    expect(JSON.stringify(result)).not.toContain(oldPassword.slice(0, 8));
  });

  it('detects altered bytes and moved ciphertexts', async () => {
    const store = await openStore();
    right(await store.setInitial(user, Secret.of(oldPassword)));
    right(await store.setInitial('second', Secret.of(newPassword)));
    const original = JSON.parse(await readFile(path, 'utf8'));

    const flipped = structuredClone(original);
    const c = Buffer.from(flipped[user].versions[0].ciphertext, 'base64');
    c[0] = (c[0] ?? 0) ^ 1;
    flipped[user].versions[0].ciphertext = c.toString('base64');
    await writeFile(path, JSON.stringify(flipped));
    expect(await store.current(user)).toMatchObject({
      left: { code: 'Corrupt' },
    });

    const moved = structuredClone(original);
    moved[user].versions[0] = { ...original.second.versions[0] };
    await writeFile(path, JSON.stringify(moved));
    expect(await store.current(user)).toMatchObject({
      left: { code: 'Corrupt' },
    });

    const shortTag = structuredClone(original);
    shortTag[user].versions[0].tag = Buffer.alloc(4).toString('base64');
    await writeFile(path, JSON.stringify(shortTag));
    expect(await store.current(user)).toMatchObject({
      left: { code: 'Corrupt' },
    });

    await writeFile(path, '{"not": "a secret file"');
    expect(await store.current(user)).toMatchObject({
      left: { code: 'Corrupt' },
    });
    expect(await openFileSecretStore({ path, key })).toMatchObject({
      left: { code: 'Corrupt' },
    });
  });

  it('keeps the old and the staged password after a crash between', async () => {
    const before = await openStore();
    right(await before.setInitial(user, Secret.of(oldPassword)));
    right(await before.stage(user, Secret.of(newPassword), 'j1'));
    // The process dies here: no promote. A new process opens the file.

    const after = await openStore();
    expect(await revealed(after.current(user))).toBe(oldPassword);
    expect(await revealed(after.staged(user, 'j1').then(defined))).toBe(
      newPassword,
    );
    expect(right(await after.get(user, 2)).reveal()).toBe(newPassword);
  });
});

const defined = <E, A>(
  result: Either<E, A | undefined>,
): Either<E | string, A> =>
  isLeft(result) || result.right !== undefined
    ? (result as Either<E, A>)
    : { _tag: 'Left', left: 'nothing staged' };
