import { createHash } from 'node:crypto';
import ssh2, { type ParsedKey } from 'ssh2';

// ssh2 is CommonJS: Node's ESM loader gives only its default export.
const { utils } = ssh2;

/**
 * A host key pair for a test server: the private key (OpenSSH text), the
 * public key as an OpenSSH line (`ssh-ed25519 AAAA…`) and its SHA-256
 * fingerprint as OpenSSH prints it.
 *
 * @category testing
 */
export interface TestHostKey {
  readonly privateKey: string;
  readonly publicKeyLine: string;
  readonly fingerprint: string;
}

/**
 * Parses an SSH key (private or public, OpenSSH or PEM text). Throws on a
 * key that does not parse: a broken test fixture is a programmer error.
 *
 * @category testing
 */
export const parseSshKey = (key: string | Buffer): ParsedKey => {
  const parsed = utils.parseKey(key);
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (first === undefined || first instanceof Error) {
    throw new Error(`not a usable SSH key: ${first?.message ?? 'empty'}`);
  }

  return first;
};

/**
 * `SHA256:` and the unpadded base64 SHA-256 of a public key blob.
 *
 * @category testing
 */
export const fingerprintOfBlob = (blob: Uint8Array): string =>
  'SHA256:' +
  createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');

/**
 * Describes a private key: its public line and fingerprint.
 *
 * @category testing
 */
export const describeKey = (privateKey: string | Buffer): TestHostKey => {
  const parsed = parseSshKey(privateKey);
  const blob = parsed.getPublicSSH();

  return {
    privateKey: privateKey.toString(),
    publicKeyLine: `${parsed.type} ${blob.toString('base64')}`,
    fingerprint: fingerprintOfBlob(blob),
  };
};

/**
 * A fresh ed25519 key pair in OpenSSH format, for host keys and client
 * keys in tests.
 *
 * @category testing
 */
export const generateTestKey = (comment = 'rotor-test'): TestHostKey => {
  // ssh2 1.17 now and then writes an ed25519 key that its own parser
  // refuses ("Malformed OpenSSH private key"): draw again, a bounded number
  // of times, rather than hand a test a key it cannot use.
  let last: unknown;
  for (let attempt = 0; attempt < 20; attempt++) {
    const pair = utils.generateKeyPairSync('ed25519', { comment });
    try {
      return describeKey(pair.private);
    } catch (e) {
      last = e;
    }
  }
  throw last instanceof Error ? last : new Error('no usable ed25519 key');
};
