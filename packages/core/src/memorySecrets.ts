import * as E from 'fp-ts/lib/Either.js';
import type { SecretStore, SecretStoreError, SecretVersion } from './ports.js';
import { Secret } from './secret.js';

interface Versioned {
  readonly password: Secret;
  readonly jobId: string | undefined;
}

interface Account {
  readonly versions: Versioned[];
  current: number | undefined;
}

const notFound = (message: string) =>
  E.left<SecretStoreError, never>({
    _tag: 'SecretStoreError',
    code: 'NotFound',
    message,
  });

/**
 * A {@link SecretStore} held in memory, for tests and demos.
 *
 * Each user's versions are numbered from 1. `initial` gives users a first,
 * current version. `stage` adds a version tagged with the job that made
 * it, without making it current; `staged` finds a job's latest version
 * (promoted or not, so a job resumed after promotion still finds the
 * password it set); `promote` makes a version current. Error messages name
 * users and versions, never passwords.
 *
 * @category constructors
 */
export const createMemorySecretStore = (
  initial: Readonly<Record<string, string>> = {},
): SecretStore => {
  const accounts = new Map<string, Account>(
    Object.entries(initial).map(([userUid, password]) => [
      userUid,
      {
        versions: [{ password: Secret.of(password), jobId: undefined }],
        current: 1,
      },
    ]),
  );
  const account = (userUid: string): Account => {
    const found = accounts.get(userUid) ?? { versions: [], current: undefined };
    accounts.set(userUid, found);

    return found;
  };
  const versionOf = (userUid: string, version: number) =>
    accounts.get(userUid)?.versions[version - 1];

  const current: SecretStore['current'] = (userUid) => {
    const version = accounts.get(userUid)?.current;
    const found =
      version === undefined ? undefined : versionOf(userUid, version);

    return Promise.resolve(
      version === undefined || found === undefined
        ? notFound(`no current password for user ${userUid}`)
        : E.right({ version, password: found.password }),
    );
  };

  const get: SecretStore['get'] = (userUid, version) => {
    const found = versionOf(userUid, version);

    return Promise.resolve(
      found === undefined
        ? notFound(`user ${userUid} has no password version ${version}`)
        : E.right(found.password),
    );
  };

  const stage: SecretStore['stage'] = (userUid, password, jobId) => {
    const versions = account(userUid).versions;
    versions.push({ password, jobId });

    return Promise.resolve(E.right({ version: versions.length, password }));
  };

  const staged: SecretStore['staged'] = (userUid, jobId) => {
    const versions = accounts.get(userUid)?.versions ?? [];
    const index = versions.findLastIndex((v) => v.jobId === jobId);
    const found: SecretVersion | undefined =
      index < 0
        ? undefined
        : {
            version: index + 1,
            password: (versions[index] as Versioned).password,
          };

    return Promise.resolve(E.right(found));
  };

  const promote: SecretStore['promote'] = (userUid, version) => {
    if (versionOf(userUid, version) === undefined) {
      return Promise.resolve(
        notFound(`user ${userUid} has no password version ${version}`),
      );
    }
    account(userUid).current = version;

    return Promise.resolve(E.right(undefined));
  };

  return { current, get, stage, staged, promote };
};
