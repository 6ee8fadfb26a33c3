import jsMd4 from 'js-md4';

/**
 * MD4 (RFC 1320) of some bytes. Node 20's OpenSSL 3 no longer offers MD4
 * without the legacy provider, so this uses js-md4 (pure JavaScript).
 *
 * @category utils
 */
export const md4 = (bytes: Uint8Array): Buffer =>
  Buffer.from(jsMd4.arrayBuffer(bytes));
