import * as t from 'io-ts';

/** Branding marker for {@link Uid}. */
export interface UidBrand {
  readonly Uid: unique symbol;
}

/**
 * A record or job identifier: 22 characters of URL-safe base64 holding 16
 * random bytes, the form vault record uids take.
 *
 * @category model
 */
export type Uid = t.Branded<string, UidBrand>;

const uidPattern = /^[A-Za-z0-9_-]{22}$/;

/**
 * Decodes a string that has the shape of a {@link Uid}.
 *
 * @category codecs
 */
export const UidCodec = t.brand(
  t.string,
  (s): s is Uid => uidPattern.test(s),
  'Uid',
);

/**
 * Turns 16 bytes into a {@link Uid}. The caller supplies the bytes so that
 * the core never reads a random source itself.
 *
 * @category constructors
 */
export const uidFromBytes = (bytes: Uint8Array): Uid => {
  if (bytes.length !== 16) {
    throw new RangeError(`uid needs 16 bytes, got ${bytes.length}`);
  }

  return Buffer.from(bytes).toString('base64url') as Uid;
};

/**
 * Whether a string has the shape of a {@link Uid}.
 *
 * @category refinements
 */
export const isUid = (s: string): s is Uid => uidPattern.test(s);
