import jsMd4 from 'js-md4';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The server side of NTLMv2 for the simulated WinRM server: it issues
 * CHALLENGE messages and checks AUTHENTICATE messages against the
 * passwords it knows ([MS-NLMP] 3.2.5.1.2, NTLMv2 only).
 *
 * @packageDocumentation
 */

const magic = Buffer.from('NTLMSSP\0', 'latin1');

const mac = (key: Uint8Array, ...data: Uint8Array[]): Buffer => {
  const h = createHmac('md5', key);
  data.forEach((d) => h.update(d));

  return h.digest();
};

const avPair = (id: number, value: Buffer): Buffer => {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(id, 0);
  head.writeUInt16LE(value.length, 2);

  return Buffer.concat([head, value]);
};

/** A CHALLENGE message and the 8 bytes it challenges with. @category testing */
export interface IssuedChallenge {
  readonly message: Buffer;
  readonly serverChallenge: Buffer;
}

/**
 * A CHALLENGE_MESSAGE for a NEGOTIATE_MESSAGE, or `undefined` when the
 * token is not one. It offers NTLMv2 with extended session security, key
 * exchange and 128-bit keys, and target info naming the machine, with a
 * timestamp (so clients add a MIC).
 *
 * @category testing
 */
export const issueChallenge = (
  negotiate: Buffer,
  computer: string,
): IssuedChallenge | undefined => {
  if (
    negotiate.length < 16 ||
    !negotiate.subarray(0, 8).equals(magic) ||
    negotiate.readUInt32LE(8) !== 1
  ) {
    return undefined;
  }
  const asked = negotiate.readUInt32LE(12);
  // UNICODE, REQUEST_TARGET, NTLM, ALWAYS_SIGN, TARGET_TYPE_SERVER,
  // EXTENDED_SESSIONSECURITY, TARGET_INFO, VERSION, 128, 56, and what the
  // client asked of SIGN, SEAL, KEY_EXCH.
  const flags =
    (0xa28a8205 | (asked & (0x00000010 | 0x00000020 | 0x40000000))) >>> 0;
  const name = Buffer.from(computer.toUpperCase(), 'utf16le');
  const stamp = Buffer.alloc(8);
  stamp.writeBigUInt64LE((BigInt(Date.now()) + 11_644_473_600_000n) * 10_000n);
  const info = Buffer.concat([
    avPair(2, name),
    avPair(1, name),
    avPair(4, Buffer.from(computer.toLowerCase(), 'utf16le')),
    avPair(3, Buffer.from(computer.toLowerCase(), 'utf16le')),
    avPair(7, stamp),
    Buffer.alloc(4),
  ]);
  const serverChallenge = randomBytes(8);
  const header = Buffer.alloc(56);
  magic.copy(header, 0);
  header.writeUInt32LE(2, 8);
  header.writeUInt16LE(name.length, 12);
  header.writeUInt16LE(name.length, 14);
  header.writeUInt32LE(56, 16);
  header.writeUInt32LE(flags, 20);
  serverChallenge.copy(header, 24);
  header.writeUInt16LE(info.length, 40);
  header.writeUInt16LE(info.length, 42);
  header.writeUInt32LE(56 + name.length, 44);
  Buffer.from([10, 0, 0x7c, 0x4f, 0, 0, 0, 15]).copy(header, 48);

  return {
    message: Buffer.concat([header, name, info]),
    serverChallenge,
  };
};

const fieldAt = (m: Buffer, at: number): Buffer | undefined => {
  if (m.length < at + 8) {
    return undefined;
  }
  const length = m.readUInt16LE(at);
  const offset = m.readUInt32LE(at + 4);

  return offset + length <= m.length
    ? m.subarray(offset, offset + length)
    : undefined;
};

/** Who an AUTHENTICATE message says it is. @category testing */
export interface NtlmIdentity {
  readonly user: string;
  readonly domain: string;
}

/**
 * Reads the user and domain of an AUTHENTICATE_MESSAGE and checks its
 * NTLMv2 response against `passwordOf(user)`. `undefined` when the
 * message is malformed, the user unknown, or the proof wrong.
 *
 * @category testing
 */
// TODO(4): check the MIC and the channel binding token too (this accepts
// what Windows does under CbtHardeningLevel=Relaxed, its default).
export const verifyAuthenticate = (
  message: Buffer,
  serverChallenge: Buffer,
  passwordOf: (user: string) => string | undefined,
): NtlmIdentity | undefined => {
  if (
    message.length < 64 ||
    !message.subarray(0, 8).equals(magic) ||
    message.readUInt32LE(8) !== 3
  ) {
    return undefined;
  }
  const nt = fieldAt(message, 20);
  const domainField = fieldAt(message, 28);
  const userField = fieldAt(message, 36);
  if (
    nt === undefined ||
    domainField === undefined ||
    userField === undefined ||
    nt.length < 48
  ) {
    return undefined;
  }
  const user = userField.toString('utf16le');
  const domain = domainField.toString('utf16le');
  const password = passwordOf(user);
  if (password === undefined) {
    return undefined;
  }
  const hash = Buffer.from(jsMd4.arrayBuffer(Buffer.from(password, 'utf16le')));
  const key = mac(hash, Buffer.from(user.toUpperCase() + domain, 'utf16le'));
  const proof = mac(key, serverChallenge, nt.subarray(16));

  return timingSafeEqual(proof, nt.subarray(0, 16))
    ? { user, domain }
    : undefined;
};
