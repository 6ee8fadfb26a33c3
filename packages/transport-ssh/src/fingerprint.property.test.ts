import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  keyTypeOfBlob,
  normalizeFingerprint,
  sha256Fingerprint,
} from './fingerprint.js';
import { knownHostKeys } from './knownHosts.js';

const blobOf = (type: string, body: Uint8Array): Buffer => {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(type.length);

  return Buffer.concat([head, Buffer.from(type), body]);
};

const keyType = fc.constantFrom(
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ssh-rsa',
);
const host = fc.stringMatching(/^[a-z0-9][a-z0-9.-]{0,30}$/);

describe('fingerprints and known_hosts, by property', () => {
  it('a fingerprint normalizes to itself and names its key type', () => {
    fc.assert(
      fc.property(keyType, fc.uint8Array({ maxLength: 64 }), (type, body) => {
        const blob = blobOf(type, body);
        const fingerprint = sha256Fingerprint(blob);

        expect(normalizeFingerprint(fingerprint)).toBe(fingerprint);
        expect(normalizeFingerprint(fingerprint.slice(7))).toBe(fingerprint);
        expect(keyTypeOfBlob(blob)).toBe(type);
      }),
      { numRuns: 200 },
    );
  });

  it('an entry written for a host and port is found for exactly that pair', () => {
    fc.assert(
      fc.property(
        host,
        fc.integer({ min: 1, max: 65535 }),
        fc.integer({ min: 1, max: 65535 }),
        keyType,
        fc.uint8Array({ minLength: 1, maxLength: 32 }),
        (name, port, otherPort, type, body) => {
          const blob = blobOf(type, body);
          const entry = port === 22 ? name : `[${name}]:${port}`;
          const text = `${entry} ${type} ${blob.toString('base64')}\n`;

          expect(knownHostKeys(text, name, port)[0]?.keyBlob).toEqual(blob);
          if (otherPort !== port) {
            expect(knownHostKeys(text, name, otherPort)).toHaveLength(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});
