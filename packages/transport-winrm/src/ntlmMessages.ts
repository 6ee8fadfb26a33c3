import * as E from 'fp-ts/lib/Either.js';
import { randomBytes } from 'node:crypto';
import {
  hmacMd5,
  lmv2Response,
  ntlmv2Blob,
  ntlmv2Response,
  ntowfv2,
} from './ntlmCrypto.js';
import { rc4 } from './rc4.js';

/** NTLM negotiate flags used here ([MS-NLMP] 2.2.2.5). @category model */
export const ntlmFlags = {
  unicode: 0x00000001,
  requestTarget: 0x00000004,
  sign: 0x00000010,
  seal: 0x00000020,
  ntlm: 0x00000200,
  alwaysSign: 0x00008000,
  extendedSessionSecurity: 0x00080000,
  targetInfo: 0x00800000,
  version: 0x02000000,
  bits128: 0x20000000,
  keyExchange: 0x40000000,
  bits56: 0x80000000,
} as const;

/** AV pair ids ([MS-NLMP] 2.2.2.1). @category model */
export const avIds = {
  eol: 0,
  nbComputerName: 1,
  nbDomainName: 2,
  dnsComputerName: 3,
  dnsDomainName: 4,
  flags: 6,
  timestamp: 7,
  channelBindings: 10,
} as const;

const signature = Buffer.from('NTLMSSP\0', 'latin1');

/** The flags this client asks for. @category model */
export const clientFlags =
  (ntlmFlags.unicode |
    ntlmFlags.requestTarget |
    ntlmFlags.sign |
    ntlmFlags.ntlm |
    ntlmFlags.alwaysSign |
    ntlmFlags.extendedSessionSecurity |
    ntlmFlags.targetInfo |
    ntlmFlags.version |
    ntlmFlags.bits128 |
    ntlmFlags.keyExchange |
    ntlmFlags.bits56) >>>
  0;

// Windows 10.0 build 19041, NTLM revision 15: what a current client reports.
const version = Buffer.from([10, 0, 0x61, 0x4a, 0, 0, 0, 15]);

/** The NEGOTIATE_MESSAGE (type 1) of this client. @category constructors */
export const negotiateMessage = (): Buffer => {
  const message = Buffer.alloc(40);
  signature.copy(message, 0);
  message.writeUInt32LE(1, 8);
  message.writeUInt32LE(clientFlags, 12);
  // Domain and workstation fields stay empty (offset at the end).
  message.writeUInt32LE(40, 20);
  message.writeUInt32LE(40, 28);
  version.copy(message, 32);

  return message;
};

/** What a CHALLENGE_MESSAGE (type 2) carries. @category model */
export interface NtlmChallenge {
  readonly flags: number;
  readonly serverChallenge: Buffer;
  readonly targetInfo: Buffer;
}

/** One AV pair. @category model */
export interface AvPair {
  readonly id: number;
  readonly value: Buffer;
}

const field = (message: Buffer, at: number): E.Either<string, Buffer> => {
  if (message.length < at + 8) {
    return E.left('NTLM message too short');
  }
  const length = message.readUInt16LE(at);
  const offset = message.readUInt32LE(at + 4);
  if (offset + length > message.length) {
    return E.left('NTLM field out of bounds');
  }

  return E.right(message.subarray(offset, offset + length));
};

/** Parses a CHALLENGE_MESSAGE. @category utils */
export const parseChallenge = (
  message: Buffer,
): E.Either<string, NtlmChallenge> => {
  if (
    message.length < 32 ||
    !message.subarray(0, 8).equals(signature) ||
    message.readUInt32LE(8) !== 2
  ) {
    return E.left('not an NTLM CHALLENGE message');
  }
  const flags = message.readUInt32LE(20);
  const targetInfo =
    message.length >= 48 ? field(message, 40) : E.right(Buffer.alloc(0));

  return E.isLeft(targetInfo)
    ? targetInfo
    : E.right({
        flags,
        serverChallenge: Buffer.from(message.subarray(24, 32)),
        targetInfo: Buffer.from(targetInfo.right),
      });
};

/** Splits AV pairs up to MsvAvEOL. @category utils */
export const readAvPairs = (bytes: Buffer): ReadonlyArray<AvPair> => {
  const pairs: AvPair[] = [];
  let at = 0;
  while (at + 4 <= bytes.length) {
    const id = bytes.readUInt16LE(at);
    const length = bytes.readUInt16LE(at + 2);
    if (id === avIds.eol || at + 4 + length > bytes.length) {
      break;
    }
    pairs.push({ id, value: bytes.subarray(at + 4, at + 4 + length) });
    at += 4 + length;
  }

  return pairs;
};

/** Writes AV pairs, ending with MsvAvEOL. @category utils */
export const writeAvPairs = (pairs: ReadonlyArray<AvPair>): Buffer =>
  Buffer.concat([
    ...pairs.map((p) => {
      const head = Buffer.alloc(4);
      head.writeUInt16LE(p.id, 0);
      head.writeUInt16LE(p.value.length, 2);

      return Buffer.concat([head, p.value]);
    }),
    Buffer.alloc(4),
  ]);

/**
 * The inputs of an AUTHENTICATE_MESSAGE. Randomness and time are inputs so
 * that tests can replay the specification's examples.
 *
 * @category model
 */
export interface AuthenticateInput {
  readonly user: string;
  readonly domain: string;
  readonly workstation: string;
  /** MD4 of the UTF-16LE password. */
  readonly ntHash: Buffer;
  readonly negotiate: Buffer;
  readonly challengeMessage: Buffer;
  readonly challenge: NtlmChallenge;
  /** MD5 channel binding hash, sent as MsvAvChannelBindings when given. */
  readonly channelBindings?: Buffer;
  readonly clientChallenge?: Buffer;
  readonly exportedSessionKey?: Buffer;
  /** FILETIME, 8 bytes LE; the server's MsvAvTimestamp when it sent one. */
  readonly timestamp?: Buffer;
}

/** An AUTHENTICATE_MESSAGE and the session key it set up. @category model */
export interface Authenticate {
  readonly message: Buffer;
  readonly exportedSessionKey: Buffer;
  readonly ntChallengeResponse: Buffer;
  readonly lmChallengeResponse: Buffer;
  readonly sessionBaseKey: Buffer;
}

const fileTimeNow = (): Buffer => {
  const ticks = (BigInt(Date.now()) + 11_644_473_600_000n) * 10_000n;
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(ticks);

  return out;
};

const headerSize = 88;
const micOffset = 72;

/**
 * Builds the AUTHENTICATE_MESSAGE (type 3) of NTLMv2 with key exchange.
 * When the server sent a timestamp, the LM response is zeros and a MIC
 * over the three messages is added (with MsvAvFlags 0x2), as [MS-NLMP]
 * 3.1.5.1.2 requires.
 *
 * @category constructors
 */
export const authenticateMessage = (input: AuthenticateInput): Authenticate => {
  const { challenge } = input;
  const clientChallenge = input.clientChallenge ?? randomBytes(8);
  const pairs = readAvPairs(challenge.targetInfo);
  const serverTime = pairs.find((p) => p.id === avIds.timestamp)?.value;
  const withMic = serverTime !== undefined;
  const timestamp = input.timestamp ?? serverTime ?? fileTimeNow();
  const flagsValue = Buffer.alloc(4);
  flagsValue.writeUInt32LE(
    ((pairs.find((p) => p.id === avIds.flags)?.value.readUInt32LE(0) ?? 0) |
      (withMic ? 2 : 0)) >>>
      0,
  );
  const extra: AvPair[] = [
    ...(withMic ? [{ id: avIds.flags, value: flagsValue }] : []),
    ...(input.channelBindings !== undefined
      ? [{ id: avIds.channelBindings, value: input.channelBindings }]
      : []),
  ];
  const replaced = new Set(extra.map((e) => e.id));
  const targetInfo =
    extra.length === 0
      ? challenge.targetInfo
      : writeAvPairs([...pairs.filter((p) => !replaced.has(p.id)), ...extra]);
  const responseKey = ntowfv2(input.ntHash, input.user, input.domain);
  const blob = ntlmv2Blob(timestamp, clientChallenge, targetInfo);
  const { response, sessionBaseKey } = ntlmv2Response(
    responseKey,
    challenge.serverChallenge,
    blob,
  );
  const lm = withMic
    ? Buffer.alloc(24)
    : lmv2Response(responseKey, challenge.serverChallenge, clientChallenge);
  const keyExchange = (challenge.flags & ntlmFlags.keyExchange) !== 0;
  const exportedSessionKey = keyExchange
    ? (input.exportedSessionKey ?? randomBytes(16))
    : sessionBaseKey;
  const encryptedKey = keyExchange
    ? rc4(sessionBaseKey).update(exportedSessionKey)
    : Buffer.alloc(0);
  const flags = (clientFlags & challenge.flags) >>> 0;
  const payloads = [
    lm,
    response,
    Buffer.from(input.domain, 'utf16le'),
    Buffer.from(input.user, 'utf16le'),
    Buffer.from(input.workstation, 'utf16le'),
    encryptedKey,
  ];
  const message = Buffer.alloc(
    headerSize + payloads.reduce((n, p) => n + p.length, 0),
  );
  signature.copy(message, 0);
  message.writeUInt32LE(3, 8);
  let offset = headerSize;
  payloads.forEach((payload, index) => {
    const at = 12 + index * 8;
    message.writeUInt16LE(payload.length, at);
    message.writeUInt16LE(payload.length, at + 2);
    message.writeUInt32LE(offset, at + 4);
    payload.copy(message, offset);
    offset += payload.length;
  });
  message.writeUInt32LE(flags, 60);
  version.copy(message, 64);
  if (withMic) {
    hmacMd5(
      exportedSessionKey,
      input.negotiate,
      input.challengeMessage,
      message,
    ).copy(message, micOffset);
  }

  return {
    message,
    exportedSessionKey,
    ntChallengeResponse: response,
    lmChallengeResponse: lm,
    sessionBaseKey,
  };
};

/**
 * Splits a `DOMAIN\user` or `user@domain` logon name into the user and
 * domain NTLM sends; a bare name has an empty domain (a local account).
 *
 * @category utils
 */
export const splitLogonName = (
  name: string,
): { readonly user: string; readonly domain: string } => {
  const slash = name.indexOf('\\');
  if (slash >= 0) {
    return { user: name.slice(slash + 1), domain: name.slice(0, slash) };
  }
  const at = name.lastIndexOf('@');
  if (at > 0) {
    return { user: name.slice(0, at), domain: name.slice(at + 1) };
  }

  return { user: name, domain: '' };
};
