import * as E from 'fp-ts/lib/Either.js';
import type { SecretStore, SecretStoreError, SecretVersion } from '@rotor/core';
import type { Secret } from '@rotor/core';

/** One password version as the embedding application's vault keeps it. */
export interface VaultEntry {
  readonly password: Secret;
  /** The rotor job that made it; undefined for a password set by hand. */
  readonly jobId: string | undefined;
}

/** One user's record in the vault: its versions (1-based) and the current one. */
export interface VaultRecord {
  readonly versions: VaultEntry[];
  current: number | undefined;
}

/** A line of the vault's audit log: who read or wrote what, never the value. */
export interface AuditEntry {
  readonly action: 'current' | 'get' | 'stage' | 'staged' | 'promote';
  readonly userUid: string;
  readonly version?: number;
  readonly jobId?: string;
}

const notFound = (message: string) =>
  E.left<SecretStoreError, never>({
    _tag: 'SecretStoreError',
    code: 'NotFound',
    message,
  });

/**
 * rotor's {@link SecretStore} over the embedding application's vault (a
 * Map here; a database or an HSM client in real life). Every access is
 * appended to `audit`. rotor stages a new password, tagged with its job,
 * before it changes the account, and promotes it after: the vault
 * therefore always holds the password the account has, whatever moment a
 * crash happens at.
 */
export const vaultSecretStore = (
  vault: Map<string, VaultRecord>,
  audit: AuditEntry[],
): SecretStore => {
  const recordOf = (userUid: string): VaultRecord => {
    const found = vault.get(userUid) ?? { versions: [], current: undefined };
    vault.set(userUid, found);

    return found;
  };
  const entry = (userUid: string, version: number) =>
    vault.get(userUid)?.versions[version - 1];

  return {
    current: (userUid) => {
      const version = vault.get(userUid)?.current;
      const found = version === undefined ? undefined : entry(userUid, version);
      audit.push({
        action: 'current',
        userUid,
        ...(version ? { version } : {}),
      });

      return Promise.resolve(
        version === undefined || found === undefined
          ? notFound(`the vault has no current password for ${userUid}`)
          : E.right({ version, password: found.password }),
      );
    },
    get: (userUid, version) => {
      const found = entry(userUid, version);
      audit.push({ action: 'get', userUid, version });

      return Promise.resolve(
        found === undefined
          ? notFound(`the vault has no version ${version} for ${userUid}`)
          : E.right(found.password),
      );
    },
    stage: (userUid, password, jobId) => {
      const { versions } = recordOf(userUid);
      versions.push({ password, jobId });
      audit.push({ action: 'stage', userUid, version: versions.length, jobId });

      return Promise.resolve(E.right({ version: versions.length, password }));
    },
    staged: (userUid, jobId) => {
      const versions = vault.get(userUid)?.versions ?? [];
      const index = versions.findLastIndex((v) => v.jobId === jobId);
      const found: SecretVersion | undefined =
        index < 0
          ? undefined
          : {
              version: index + 1,
              password: (versions[index] as VaultEntry).password,
            };
      audit.push({ action: 'staged', userUid, jobId });

      return Promise.resolve(E.right(found));
    },
    promote: (userUid, version) => {
      audit.push({ action: 'promote', userUid, version });
      if (entry(userUid, version) === undefined) {
        return Promise.resolve(
          notFound(`the vault has no version ${version} for ${userUid}`),
        );
      }
      recordOf(userUid).current = version;

      return Promise.resolve(E.right(undefined));
    },
  };
};
