/**
 * An RC4 key stream that keeps its state across calls, as NTLM's session
 * security needs (Node 20's OpenSSL disables RC4). `update` encrypts or
 * decrypts (the same thing) the next bytes of the stream.
 *
 * @category model
 */
export interface Rc4 {
  readonly update: (bytes: Uint8Array) => Buffer;
}

/** A new RC4 stream for a key. @category constructors */
export const rc4 = (key: Uint8Array): Rc4 => {
  const s = new Uint8Array(256).map((_, i) => i);
  let j = 0;
  for (let i = 0; i < 256; i++) {
    j = (j + (s[i] ?? 0) + (key[i % key.length] ?? 0)) & 0xff;
    [s[i], s[j]] = [s[j] ?? 0, s[i] ?? 0];
  }
  let x = 0;
  let y = 0;

  return {
    update: (bytes) => {
      const out = Buffer.alloc(bytes.length);
      for (let k = 0; k < bytes.length; k++) {
        x = (x + 1) & 0xff;
        y = (y + (s[x] ?? 0)) & 0xff;
        [s[x], s[y]] = [s[y] ?? 0, s[x] ?? 0];
        out[k] = (bytes[k] ?? 0) ^ (s[((s[x] ?? 0) + (s[y] ?? 0)) & 0xff] ?? 0);
      }

      return out;
    },
  };
};
