import { createHash, createHmac } from 'node:crypto';
import { md4 } from './md4.js';

/**
 * The NTLMv2 computations of [MS-NLMP] 3.3.2 and 3.4.5, on bytes. Names
 * follow the specification.
 *
 * @packageDocumentation
 */

const utf16 = (text: string): Buffer => Buffer.from(text, 'utf16le');

/** HMAC-MD5. @category utils */
export const hmacMd5 = (key: Uint8Array, ...parts: Uint8Array[]): Buffer => {
  const mac = createHmac('md5', key);
  parts.forEach((p) => mac.update(p));

  return mac.digest();
};

/** The NT hash: MD4 of the UTF-16LE password. @category utils */
export const ntHash = (password: string): Buffer => md4(utf16(password));

/**
 * NTOWFv2 (= ResponseKeyNT = ResponseKeyLM): HMAC-MD5 keyed with the NT
 * hash over UTF-16LE of the upper-cased user name and the domain as given.
 *
 * @category utils
 */
export const ntowfv2 = (
  hash: Uint8Array,
  user: string,
  domain: string,
): Buffer => hmacMd5(hash, utf16(user.toUpperCase() + domain));

/**
 * The NTLMv2 client blob ("temp"): version 1, the FILETIME timestamp, the
 * client challenge and the target info AV pairs.
 *
 * @category utils
 */
export const ntlmv2Blob = (
  timestamp: Uint8Array,
  clientChallenge: Uint8Array,
  targetInfo: Uint8Array,
): Buffer =>
  Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    timestamp,
    clientChallenge,
    Buffer.alloc(4),
    targetInfo,
    Buffer.alloc(4),
  ]);

/**
 * The NTLMv2 response for a blob: NTProofStr followed by the blob, and the
 * session base key (= key exchange key under NTLMv2).
 *
 * @category utils
 */
export const ntlmv2Response = (
  responseKey: Uint8Array,
  serverChallenge: Uint8Array,
  blob: Uint8Array,
): { readonly response: Buffer; readonly sessionBaseKey: Buffer } => {
  const proof = hmacMd5(responseKey, serverChallenge, blob);

  return {
    response: Buffer.concat([proof, blob]),
    sessionBaseKey: hmacMd5(responseKey, proof),
  };
};

/** The LMv2 response. @category utils */
export const lmv2Response = (
  responseKey: Uint8Array,
  serverChallenge: Uint8Array,
  clientChallenge: Uint8Array,
): Buffer =>
  Buffer.concat([
    hmacMd5(responseKey, serverChallenge, clientChallenge),
    clientChallenge,
  ]);

const magic = (text: string): Buffer => Buffer.from(`${text}\0`, 'latin1');

/**
 * The signing and sealing keys of each direction under extended session
 * security with 128-bit keys ([MS-NLMP] 3.4.5.2, 3.4.5.3).
 *
 * @category utils
 */
export const sessionKeys = (
  exportedSessionKey: Uint8Array,
): {
  readonly clientSign: Buffer;
  readonly clientSeal: Buffer;
  readonly serverSign: Buffer;
  readonly serverSeal: Buffer;
} => {
  const md5 = (text: string): Buffer =>
    createHash('md5').update(exportedSessionKey).update(magic(text)).digest();

  return {
    clientSign: md5(
      'session key to client-to-server signing key magic constant',
    ),
    clientSeal: md5(
      'session key to client-to-server sealing key magic constant',
    ),
    serverSign: md5(
      'session key to server-to-client signing key magic constant',
    ),
    serverSeal: md5(
      'session key to server-to-client sealing key magic constant',
    ),
  };
};

/**
 * The channel binding hash for TLS ([MS-NLMP] MsvAvChannelBindings, RFC
 * 5929 `tls-server-end-point`): MD5 of a gss_channel_bindings structure
 * with empty addresses and the certificate's SHA-256 as application data.
 *
 * @category utils
 */
// TODO(4): certificates signed with SHA-384 or SHA-512 bind with that hash
// (RFC 5929); only matters on CbtHardeningLevel=Strict hosts with such certs.
export const channelBindingHash = (certificateDer: Uint8Array): Buffer => {
  const application = Buffer.concat([
    Buffer.from('tls-server-end-point:', 'latin1'),
    createHash('sha256').update(certificateDer).digest(),
  ]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(application.length);

  return createHash('md5')
    .update(Buffer.concat([Buffer.alloc(16), length, application]))
    .digest();
};
