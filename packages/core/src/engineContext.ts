import * as E from 'fp-ts/lib/Either.js';
import { defer, from, map, type Observable } from 'rxjs';
import { EngineError } from './engineError.js';
import type { RestartGate } from './engineGate.js';
import type { Journal } from './engineJournal.js';
import type { StepContext } from './engineStep.js';
import type { JobSpec } from './jobState.js';
import type {
  AccountRotator,
  Clock,
  HostOperations,
  Logger,
  SecretStore,
  SecretStoreError,
} from './ports.js';
import type { Machine, User, Inventory } from './records.js';
import type { Secret } from './secret.js';

/**
 * Everything one run of one job works with. Built by the engine for each
 * run; effects read it and never change it.
 *
 * @category model
 */
export interface RunContext {
  readonly job: JobSpec;
  readonly journal: Journal;
  readonly step: StepContext;
  readonly host: HostOperations;
  readonly secrets: SecretStore;
  readonly rotator: AccountRotator;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly newPassword: () => Secret;
  readonly machine: (uid: string) => Machine | undefined;
  readonly user: () => User | undefined;
  /** The password of a version, read once per run. */
  readonly password: (version: number) => Observable<Secret>;
  /** The canary and failed-logon budget of this run's restarts. */
  readonly restartGate?: RestartGate;
  /** The failed-logon budget the gate was built with. */
  readonly restartBudget?: number;
}

/**
 * Reads a secret-store result; a failure stops the run as
 * `SecretStoreFailed`, because a job must not go on without knowing its
 * password.
 *
 * @category effects
 */
export const fromSecrets = <A>(
  jobId: string,
  call: () => Promise<E.Either<SecretStoreError, A>>,
): Observable<A> =>
  defer(() => from(call())).pipe(
    map((result) => {
      if (E.isLeft(result)) {
        throw new EngineError({
          _tag: 'SecretStoreFailed',
          jobId,
          message: `${result.left.code}: ${result.left.message}`,
        });
      }

      return result.right;
    }),
  );

/** Looks a machine up, keeping only machine records. @category utils */
export const machineIn =
  (inventory: Inventory) =>
  (uid: string): Machine | undefined => {
    const record = inventory.get(uid);

    return record?.type === 'machine' ? record : undefined;
  };

/** Looks a user up, keeping only user records. @category utils */
export const userIn =
  (inventory: Inventory) =>
  (uid: string): User | undefined => {
    const record = inventory.get(uid);

    return record?.type === 'user' ? record : undefined;
  };

/**
 * Memoizes `password` per version for one run, so a job with hundreds of
 * dependents reads its password once.
 *
 * @category utils
 */
export const passwordCache = (
  jobId: string,
  userUid: string,
  secrets: SecretStore,
): ((version: number) => Observable<Secret>) => {
  const cache = new Map<number, Promise<E.Either<SecretStoreError, Secret>>>();

  return (version) =>
    fromSecrets(jobId, () => {
      const known = cache.get(version);
      if (known !== undefined) {
        return known;
      }
      const read = secrets.get(userUid, version);
      cache.set(version, read);

      return read;
    });
};
