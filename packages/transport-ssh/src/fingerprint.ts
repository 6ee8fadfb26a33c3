import { createHash } from 'node:crypto';

/**
 * The SHA-256 fingerprint of a public key blob (the SSH wire form), as
 * OpenSSH prints it: `SHA256:` and the unpadded base64 of the digest.
 *
 * @category utils
 */
export const sha256Fingerprint = (keyBlob: Uint8Array): string =>
  'SHA256:' +
  createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');

/**
 * A pinned fingerprint in the form {@link sha256Fingerprint} produces:
 * surrounding space and base64 padding dropped, the `SHA256:` prefix added
 * when it is missing. Anything but base64 after the prefix gives
 * `undefined`.
 *
 * @category utils
 */
export const normalizeFingerprint = (pinned: string): string | undefined => {
  const body = pinned
    .trim()
    .replace(/^SHA256:/i, '')
    .replace(/=+$/, '');

  return /^[A-Za-z0-9+/]{43}$/.test(body) ? `SHA256:${body}` : undefined;
};

/**
 * The key type written at the start of a key blob (`ssh-ed25519`,
 * `ecdsa-sha2-nistp256`, `ssh-rsa`, …), or `unknown`.
 *
 * @category utils
 */
export const keyTypeOfBlob = (keyBlob: Uint8Array): string => {
  const blob = Buffer.from(keyBlob);
  if (blob.length < 4) {
    return 'unknown';
  }
  const length = blob.readUInt32BE(0);
  if (length === 0 || length > 64 || 4 + length > blob.length) {
    return 'unknown';
  }

  return blob.subarray(4, 4 + length).toString('latin1');
};
