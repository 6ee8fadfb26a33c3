import * as E from 'fp-ts/lib/Either.js';
import { open } from 'node:fs/promises';

/**
 * Where the 32-byte key of the file secret store comes from: the bytes
 * themselves, an environment variable, or a key file. Variables and files
 * hold the key as 64 hex digits or as base64; a file may also hold the 32
 * raw bytes.
 *
 * @category model
 */
export type SecretKeySource =
  Buffer | { readonly env: string } | { readonly keyFile: string };

/**
 * Why the key could not be had. `KeyFileInsecure` is a key file that
 * others may read or write, or that another user owns. No message ever
 * contains key material.
 *
 * @category errors
 */
export interface SecretKeyError {
  readonly _tag: 'SecretKeyError';
  readonly code:
    'KeyMissing' | 'KeyMalformed' | 'KeyFileInsecure' | 'KeyFileUnreadable';
  readonly message: string;
}

const keyError = (
  code: SecretKeyError['code'],
  message: string,
): E.Either<SecretKeyError, never> =>
  E.left({ _tag: 'SecretKeyError', code, message });

const malformed = (where: string) =>
  keyError(
    'KeyMalformed',
    `${where} does not hold a 32-byte key (64 hex digits or base64)`,
  );

/** A key written as text: 64 hex digits, or base64 (or base64url). */
const decodeText = (text: string, where: string) => {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    return E.right(Buffer.from(trimmed, 'hex'));
  }
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');

    return bytes.length === 32 ? E.right(bytes) : malformed(where);
  }

  return malformed(where);
};

const fromFile = async (
  path: string,
): Promise<E.Either<SecretKeyError, Buffer>> => {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (cause) {
    const code = (cause as { code?: unknown }).code;

    return keyError(
      'KeyFileUnreadable',
      `cannot open key file ${path} (${String(code ?? 'error')})`,
    );
  }
  try {
    // Checked on the open handle, so the file read is the file checked.
    const info = await handle.stat();
    if (!info.isFile()) {
      return keyError('KeyFileUnreadable', `key file ${path} is not a file`);
    }
    if ((info.mode & 0o077) !== 0) {
      const mode = (info.mode & 0o777).toString(8).padStart(4, '0');

      return keyError(
        'KeyFileInsecure',
        `key file ${path} has mode ${mode}; only its owner may have access (chmod 600)`,
      );
    }
    const me = process.getuid?.();
    if (me !== undefined && info.uid !== me) {
      return keyError(
        'KeyFileInsecure',
        `key file ${path} is owned by uid ${info.uid}, not by this process's user (uid ${me})`,
      );
    }
    const bytes = await handle.readFile();
    const asText = decodeText(bytes.toString('latin1'), `key file ${path}`);

    return E.isLeft(asText) && bytes.length === 32 ? E.right(bytes) : asText;
  } catch {
    return keyError('KeyFileUnreadable', `cannot read key file ${path}`);
  } finally {
    await handle.close();
  }
};

/**
 * Loads the 32-byte key from its source. A key file must be a regular
 * file that only its owner may access (mode 0600 or stricter) and that the
 * current user owns; anything else is refused as `KeyFileInsecure`.
 *
 * @category constructors
 */
export const loadSecretKey = (
  source: SecretKeySource,
  environment: Readonly<Record<string, string | undefined>> = process.env,
): Promise<E.Either<SecretKeyError, Buffer>> => {
  if (Buffer.isBuffer(source)) {
    return Promise.resolve(
      source.length === 32
        ? E.right(Buffer.from(source))
        : malformed('the key given'),
    );
  }
  if ('env' in source) {
    const text = environment[source.env];

    return Promise.resolve(
      text === undefined || text.trim() === ''
        ? keyError(
            'KeyMissing',
            `environment variable ${source.env} is not set`,
          )
        : decodeText(text, `environment variable ${source.env}`),
    );
  }

  return fromFile(source.keyFile);
};
