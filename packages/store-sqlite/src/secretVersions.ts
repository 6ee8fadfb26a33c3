import type { SecretStoreError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { SealedVersion, SecretFile } from './secretFile.js';

/** A user's versions; none for a user the file does not know. */
export const versionsOf = (
  file: SecretFile,
  userUid: string,
): ReadonlyArray<SealedVersion> =>
  Object.hasOwn(file, userUid) ? (file[userUid]?.versions ?? []) : [];

/** The number the next version of a user gets: one past the highest. */
export const nextVersion = (file: SecretFile, userUid: string): number =>
  versionsOf(file, userUid).reduce((max, v) => Math.max(max, v.version), 0) + 1;

/** The user's current version, if any. */
export const currentVersion = (file: SecretFile, userUid: string) =>
  versionsOf(file, userUid).find((v) => v.state === 'current');

/** The version a job staged, while it is staged or current. */
export const jobVersion = (file: SecretFile, userUid: string, jobId: string) =>
  versionsOf(file, userUid)
    .filter((v) => v.jobId === jobId && v.state !== 'retired')
    .at(-1);

const retireCurrent = (v: SealedVersion): SealedVersion =>
  v.state === 'current' ? { ...v, state: 'retired' } : v;

/** The file with one more version; a new current one retires the old. */
export const withVersion = (
  file: SecretFile,
  userUid: string,
  added: SealedVersion,
): SecretFile => {
  const versions = versionsOf(file, userUid).map((v) =>
    added.state === 'current' ? retireCurrent(v) : v,
  );

  return { ...file, [userUid]: { versions: [...versions, added] } };
};

/**
 * The file with a staged version made current and the old current one
 * retired; `undefined` when the version is current already (nothing to
 * write). A missing or retired version is `NotFound`.
 */
export const withPromoted = (
  file: SecretFile,
  userUid: string,
  version: number,
): E.Either<SecretStoreError, SecretFile | undefined> => {
  const versions = versionsOf(file, userUid);
  const target = versions.find((v) => v.version === version);
  if (target === undefined || target.state === 'retired') {
    return E.left({
      _tag: 'SecretStoreError',
      code: 'NotFound',
      message: `user ${userUid} has no staged password version ${version}`,
    });
  }
  if (target.state === 'current') {
    return E.right(undefined);
  }
  const promoted = versions.map((v): SealedVersion =>
    v.version === version ? { ...v, state: 'current' } : retireCurrent(v),
  );

  return E.right({ ...file, [userUid]: { versions: promoted } });
};
