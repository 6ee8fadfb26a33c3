import {
  keyTypeOfBlob,
  normalizeFingerprint,
  sha256Fingerprint,
} from './fingerprint.js';
import { knownHostKeys, knownHostsName } from './knownHosts.js';

/**
 * What a host key check decided: the key is the expected one, or it is
 * refused with a message naming the offered fingerprint and how to pin it.
 *
 * @category model
 */
export type HostKeyVerdict =
  | { readonly _tag: 'Accepted' }
  | { readonly _tag: 'Refused'; readonly message: string };

/**
 * How a connection checks the key a host offers, and which host key
 * algorithms to ask for first (those a known_hosts file lists, as OpenSSH
 * does, so the host offers the key that can be checked).
 *
 * @category model
 */
export interface HostKeyPolicy {
  /**
   * Accepts or refuses the key a host offers, given as its SSH wire-format
   * blob.
   */
  readonly check: (keyBlob: Buffer) => HostKeyVerdict;
  readonly preferredAlgorithms: ReadonlyArray<string>;
}

/** Where the expected key comes from. @category model */
export type HostKeySource =
  | { readonly _tag: 'Pinned'; readonly fingerprint: string }
  | {
      readonly _tag: 'KnownHosts';
      readonly file: string;
      readonly text: string;
    }
  | { readonly _tag: 'None' };

const howToPin = (offered: string): string =>
  `to trust this key, set the machine's trust.hostKeyFingerprint to ` +
  `"${offered}" (after checking it on the host with ` +
  '`ssh-keygen -lf <host key>.pub`)';

const refuse = (message: string): HostKeyVerdict => ({
  _tag: 'Refused',
  message,
});

const algorithmsFor = (keyType: string): ReadonlyArray<string> =>
  keyType === 'ssh-rsa'
    ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa']
    : [keyType];

/**
 * The check for one machine's address and trust settings. With neither a
 * pinned fingerprint nor a known_hosts file every key is refused: there is
 * no way to connect to an SSH host without verifying it.
 *
 * @category constructors
 */
export const hostKeyPolicy = (
  host: string,
  port: number,
  source: HostKeySource,
): HostKeyPolicy => {
  const where = `${host}:${port}`;
  switch (source._tag) {
    case 'None':
      return {
        preferredAlgorithms: [],
        check: (blob) => {
          const offered = sha256Fingerprint(blob);

          return refuse(
            `no host key is pinned for ${where}; it offered ` +
              `${keyTypeOfBlob(blob)} ${offered}; ${howToPin(offered)}`,
          );
        },
      };
    case 'Pinned': {
      const expected = normalizeFingerprint(source.fingerprint);

      return {
        preferredAlgorithms: [],
        check: (blob) => {
          const offered = sha256Fingerprint(blob);
          if (expected !== undefined && offered === expected) {
            return { _tag: 'Accepted' };
          }

          return refuse(
            `host key of ${where} does not match the pinned fingerprint ` +
              `${expected ?? '(not a SHA256 fingerprint)'}; it offered ` +
              `${keyTypeOfBlob(blob)} ${offered}; if the host's key was ` +
              `changed on purpose, ${howToPin(offered)}`,
          );
        },
      };
    }
    case 'KnownHosts': {
      const keys = knownHostKeys(source.text, host, port);
      const types = keys.filter((k) => !k.revoked).map((k) => k.keyType);

      return {
        preferredAlgorithms: [...new Set(types.flatMap(algorithmsFor))],
        check: (blob) => {
          const offered = sha256Fingerprint(blob);
          const same = keys.filter((k) => k.keyBlob.equals(blob));
          if (same.some((k) => k.revoked)) {
            return refuse(
              `host key ${offered} of ${where} is marked @revoked in ` +
                source.file,
            );
          }
          if (same.length > 0) {
            return { _tag: 'Accepted' };
          }
          const state =
            keys.length === 0
              ? `${source.file} has no entry for ${knownHostsName(host, port)}`
              : `the key differs from the one in ${source.file}`;

          return refuse(
            `host key of ${where} is not known: ${state}; it offered ` +
              `${keyTypeOfBlob(blob)} ${offered}; ${howToPin(offered)} ` +
              'or add it to the known_hosts file',
          );
        },
      };
    }
  }
};
