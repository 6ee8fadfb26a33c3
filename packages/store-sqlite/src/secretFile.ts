import type { SecretStoreError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

const SealedVersionCodec = t.intersection([
  t.type({
    version: t.number,
    state: t.keyof({ staged: null, current: null, retired: null }),
    iv: t.string,
    tag: t.string,
    ciphertext: t.string,
    createdAt: t.string,
  }),
  t.partial({ jobId: t.string }),
]);

/** One encrypted password version, as the file holds it. */
export type SealedVersion = t.TypeOf<typeof SealedVersionCodec>;

const SecretFileCodec = t.record(
  t.string,
  t.type({ versions: t.array(SealedVersionCodec) }),
);

/** The whole file: each user's password versions. */
export type SecretFile = t.TypeOf<typeof SecretFileCodec>;

const storeError = (
  code: SecretStoreError['code'],
  message: string,
): E.Either<SecretStoreError, never> =>
  E.left({ _tag: 'SecretStoreError', code, message });

// Beyond the shape: versions are positive integers, unique per user, and
// a user has at most one current version.
const consistent = (file: SecretFile): boolean =>
  Object.values(file).every(({ versions }) => {
    const numbers = versions.map((v) => v.version);

    return (
      numbers.every((n) => Number.isInteger(n) && n > 0) &&
      new Set(numbers).size === numbers.length &&
      versions.filter((v) => v.state === 'current').length <= 1
    );
  });

/**
 * Reads and checks the secret file; a missing file is an empty store. A
 * file that is not JSON of the expected shape is `Corrupt`; the message
 * names the file, never its content.
 */
export const readSecretFile = async (
  path: string,
): Promise<E.Either<SecretStoreError, SecretFile>> => {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;

    return code === 'ENOENT'
      ? E.right({})
      : storeError(
          'Unavailable',
          `cannot read secret file ${path} (${String(code ?? 'error')})`,
        );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return storeError('Corrupt', `secret file ${path} is not JSON`);
  }
  const decoded = SecretFileCodec.decode(json);

  return E.isRight(decoded) && consistent(decoded.right)
    ? decoded
    : storeError('Corrupt', `secret file ${path} is not a rotor secret file`);
};

/**
 * Replaces the secret file atomically: a new file (mode 0600) is written
 * and flushed beside it, renamed over the old one, and the directory is
 * flushed, so a crash leaves either the old file or the new, never a mix.
 */
export const writeSecretFile = async (
  path: string,
  file: SecretFile,
): Promise<E.Either<SecretStoreError, void>> => {
  const temporary = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(file, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
    const directory = await open(dirname(path), 'r');
    try {
      await directory.sync();
    } finally {
      await directory.close();
    }

    return E.right(undefined);
  } catch (cause) {
    await unlink(temporary).catch(() => undefined);
    const code = (cause as { code?: unknown }).code;

    return storeError(
      'Unavailable',
      `cannot write secret file ${path} (${String(code ?? 'error')})`,
    );
  }
};
