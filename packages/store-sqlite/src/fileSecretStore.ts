import { systemClock } from '@rotor/core';
import type {
  Clock,
  Secret,
  SecretStore,
  SecretStoreError,
  SecretVersion,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { seal, unseal } from './secretCipher.js';
import {
  readSecretFile,
  writeSecretFile,
  type SealedVersion,
  type SecretFile,
} from './secretFile.js';
import {
  currentVersion,
  jobVersion,
  nextVersion,
  versionsOf,
  withPromoted,
  withVersion,
} from './secretVersions.js';
import {
  loadSecretKey,
  type SecretKeyError,
  type SecretKeySource,
} from './secretKey.js';

/** Options of {@link openFileSecretStore}. @category constructors */
export interface FileSecretStoreOptions {
  /** The JSON file of encrypted passwords; created on the first write. */
  readonly path: string;
  /** The 32-byte AES-256 key, or where to read it. */
  readonly key: SecretKeySource;
  /** Stamps `createdAt`; the system clock when absent. */
  readonly clock?: Clock;
  /** Where `{ env }` keys are looked up; `process.env` when absent. */
  readonly environment?: Readonly<Record<string, string | undefined>>;
}

/** What {@link FileSecretStore.setInitial} found or made. @category model */
export interface InitialSecret extends SecretVersion {
  /** False when the user already had a current password, which is kept. */
  readonly created: boolean;
}

/**
 * The file secret store: a {@link SecretStore} plus `setInitial`, which
 * records a user's password when the store has none for them (bootstrapping
 * an inventory) and otherwise keeps, and returns, the current one.
 *
 * @category model
 */
export interface FileSecretStore extends SecretStore {
  /**
   * Records `password` as the user's first, current version when the store has
   * none for the user; otherwise keeps the current one and returns it with
   * `created: false`.
   */
  readonly setInitial: (
    userUid: string,
    password: Secret,
  ) => Promise<E.Either<SecretStoreError, InitialSecret>>;
}

type Result<A> = Promise<E.Either<SecretStoreError, A>>;

const notFound = (message: string): E.Either<SecretStoreError, never> =>
  E.left({ _tag: 'SecretStoreError', code: 'NotFound', message });

/**
 * Opens the encrypted file secret store. Each password version is
 * encrypted with AES-256-GCM under a random 12-byte IV, with the user uid
 * and version authenticated alongside; the file is JSON, mode 0600, and
 * replaced atomically on every change.
 *
 * - `stage` adds a `staged` version tagged with the job before the account
 *   is changed; staging again for the same job returns the version already
 *   staged (or promoted), whose password the account may already have.
 * - `promote` makes a staged version current and retires the previous
 *   current one; promoting the current version again changes nothing.
 * - `staged` is the job's version while it is staged or current.
 * - A version that does not decrypt (wrong key, altered file) is `Corrupt`.
 *
 * A crash at any moment leaves the file as before or after a change, so
 * both the account's old password (current) and the staged new one stay
 * readable.
 *
 * @example
 * const secrets = await openFileSecretStore({
 *   path: './rotor-secrets.json',
 *   key: { env: 'ROTOR_SECRET_KEY' },
 * });
 *
 * @category constructors
 */
export const openFileSecretStore = async (
  options: FileSecretStoreOptions,
): Promise<E.Either<SecretKeyError | SecretStoreError, FileSecretStore>> => {
  const loaded = await loadSecretKey(options.key, options.environment);
  if (E.isLeft(loaded)) {
    return loaded;
  }
  const key = loaded.right;
  const clock = options.clock ?? systemClock;
  const { path } = options;
  const initial = await readSecretFile(path);
  if (E.isLeft(initial)) {
    return initial;
  }

  // Changes in this process run one at a time, each reading the file
  // afresh, so none is lost to another.
  // TODO(5): lock the file across processes before several gateways on one
  // host share a secret file; until then one process changes it at a time.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <A>(change: () => Result<A>): Result<A> => {
    const run = queue.then(change, change);
    queue = run;

    return run;
  };

  const unsealed = (userUid: string, v: SealedVersion) =>
    E.map((password: Secret) => ({ version: v.version, password }))(
      unseal(key, userUid, v.version, v),
    );

  const withFile = async <A>(
    use: (file: SecretFile) => E.Either<SecretStoreError, A>,
  ): Result<A> => E.flatMap(await readSecretFile(path), use);

  // Reads the file afresh, applies a change in this process's queue, and
  // writes the result when there is one.
  const change = <A>(
    apply: (
      file: SecretFile,
    ) => E.Either<SecretStoreError, { next?: SecretFile; value: A }>,
  ): Result<A> =>
    serial(async () => {
      const read = await readSecretFile(path);
      if (E.isLeft(read)) {
        return read;
      }
      const applied = apply(read.right);
      if (E.isLeft(applied) || applied.right.next === undefined) {
        return E.map((r: { value: A }) => r.value)(applied);
      }
      const { next, value } = applied.right;

      return E.map(() => value)(await writeSecretFile(path, next));
    });

  const sealed = (
    userUid: string,
    version: number,
    state: 'staged' | 'current',
    password: Secret,
    jobId?: string,
  ): SealedVersion => ({
    version,
    state,
    ...(jobId === undefined ? {} : { jobId }),
    ...seal(key, userUid, version, password),
    createdAt: clock.now().toISOString(),
  });

  const current: SecretStore['current'] = (userUid) =>
    withFile((file) => {
      const found = currentVersion(file, userUid);

      return found === undefined
        ? notFound(`user ${userUid} has no current password`)
        : unsealed(userUid, found);
    });

  const get: SecretStore['get'] = (userUid, version) =>
    withFile((file) => {
      const found = versionsOf(file, userUid).find(
        (v) => v.version === version,
      );

      return found === undefined
        ? notFound(`user ${userUid} has no password version ${version}`)
        : unseal(key, userUid, version, found);
    });

  const staged: SecretStore['staged'] = (userUid, jobId) =>
    withFile((file) => {
      const found = jobVersion(file, userUid, jobId);

      return found === undefined
        ? E.right(undefined)
        : unsealed(userUid, found);
    });

  const stage: SecretStore['stage'] = (userUid, password, jobId) =>
    change((file) => {
      const existing = jobVersion(file, userUid, jobId);
      if (existing !== undefined) {
        return E.map((value: SecretVersion) => ({ value }))(
          unsealed(userUid, existing),
        );
      }
      const version = nextVersion(file, userUid);
      const added = sealed(userUid, version, 'staged', password, jobId);

      return E.right({
        next: withVersion(file, userUid, added),
        value: { version, password },
      });
    });

  const promote: SecretStore['promote'] = (userUid, version) =>
    change((file) =>
      E.map((next: SecretFile | undefined) =>
        next === undefined ? { value: undefined } : { next, value: undefined },
      )(withPromoted(file, userUid, version)),
    );

  const setInitial: FileSecretStore['setInitial'] = (userUid, password) =>
    change((file) => {
      const existing = currentVersion(file, userUid);
      if (existing !== undefined) {
        return E.map((v: SecretVersion) => ({
          value: { ...v, created: false },
        }))(unsealed(userUid, existing));
      }
      const version = nextVersion(file, userUid);
      const added = sealed(userUid, version, 'current', password);

      return E.right({
        next: withVersion(file, userUid, added),
        value: { version, password, created: true },
      });
    });

  return E.right({ current, get, stage, staged, promote, setInitial });
};
