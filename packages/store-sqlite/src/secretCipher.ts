import { Secret } from '@rotor/core';
import type { SecretStoreError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A password encrypted with AES-256-GCM, each part in base64. */
export interface Sealed {
  readonly iv: string;
  readonly tag: string;
  readonly ciphertext: string;
}

// The user and version are authenticated with the ciphertext, so a sealed
// password moved to another user or version no longer opens.
const associated = (userUid: string, version: number) =>
  Buffer.from(JSON.stringify(['rotor-secret', userUid, version]), 'utf8');

/** Encrypts one password version of one user under a fresh 12-byte IV. */
export const seal = (
  key: Buffer,
  userUid: string,
  version: number,
  password: Secret,
): Sealed => {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(associated(userUid, version));
  const plain = Buffer.from(password.reveal(), 'utf8');
  const ciphertext = Buffer.concat([cipher.update(plain), cipher.final()]);
  plain.fill(0);

  return {
    iv: iv.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    ciphertext: ciphertext.toString('base64'),
  };
};

/**
 * Decrypts a sealed password. A wrong key, an altered byte, or a password
 * moved between users or versions is `Corrupt`, with no plaintext anywhere.
 */
export const unseal = (
  key: Buffer,
  userUid: string,
  version: number,
  sealed: Sealed,
): E.Either<SecretStoreError, Secret> =>
  E.tryCatch(
    () => {
      const iv = Buffer.from(sealed.iv, 'base64');
      const tag = Buffer.from(sealed.tag, 'base64');
      if (iv.length !== 12 || tag.length !== 16) {
        throw new Error('bad iv or tag length');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv, {
        authTagLength: 16,
      });
      decipher.setAAD(associated(userUid, version));
      decipher.setAuthTag(tag);
      // GCM hands out bytes before the tag is checked: they are wiped and
      // dropped unless final() proves them authentic.
      const body = decipher.update(Buffer.from(sealed.ciphertext, 'base64'));
      try {
        const plain = Buffer.concat([body, decipher.final()]);
        const password = Secret.of(plain.toString('utf8'));
        plain.fill(0);

        return password;
      } finally {
        body.fill(0);
      }
    },
    () => ({
      _tag: 'SecretStoreError',
      code: 'Corrupt',
      message: `version ${version} of user ${userUid} does not decrypt: wrong key, or the secret file was altered`,
    }),
  );
