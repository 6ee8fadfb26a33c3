import type { Secret } from '@rotor/core';

/**
 * A password as Active Directory's `unicodePwd` takes it: the password in
 * double quotes, encoded UTF-16LE. Only ever sent over an encrypted
 * connection (the directory refuses it otherwise).
 *
 * @category encoders
 */
export const unicodePwdValue = (password: Secret): Buffer =>
  Buffer.from(`"${password.reveal()}"`, 'utf16le');
