import type {
  AppPoolDependent,
  Dependent,
  DependentKind,
  ServiceDependent,
} from './dependent.js';
import type { JobCounts, JobOutcome, Target } from './events.js';
import type { Uid } from './uid.js';

/**
 * One thing left to do in a job, as {@link plan} computes it. Each action
 * becomes one or more events when the engine carries it out:
 *
 * - `ChangePassword`: stage a new password, change the account, promote the
 *   password, record `PasswordChanged` by `engine`.
 * - `AdoptExternalPassword`: read the current password of the secret store
 *   (changed elsewhere) and record `PasswordChanged` by `external`.
 * - `Enumerate`: take a machine's snapshot (`DependentsFound`).
 * - `UpdateCredential`: write password `secretVersion` into a dependent.
 * - `RestartService`: restart a service the snapshot saw running.
 * - `SkipRestart`: record that a service is not restarted, and why; no host
 *   is contacted.
 * - `RecycleAppPool`: recycle a pool the snapshot saw started.
 * - `Preflight`: before the password step of a `preflight` job, reach, log
 *   on to and enumerate every target, changing nothing; record
 *   `PreflightPassed`, or `PreflightFailed` naming each machine that failed.
 * - `Finish`: record how the job ended.
 *
 * @category model
 */
export type Action =
  | {
      readonly type: 'Preflight';
      readonly userUid: Uid;
      readonly targets: ReadonlyArray<Target>;
    }
  | { readonly type: 'ChangePassword'; readonly userUid: Uid }
  | { readonly type: 'AdoptExternalPassword'; readonly userUid: Uid }
  | {
      readonly type: 'Enumerate';
      readonly machineUid: Uid;
      readonly kinds: ReadonlyArray<DependentKind>;
    }
  | {
      readonly type: 'UpdateCredential';
      readonly machineUid: Uid;
      readonly dependent: Dependent;
      readonly secretVersion: number;
    }
  | {
      readonly type: 'RestartService';
      readonly machineUid: Uid;
      readonly service: ServiceDependent;
    }
  | {
      readonly type: 'SkipRestart';
      readonly machineUid: Uid;
      readonly service: ServiceDependent;
      readonly reason: 'not-running' | 'deferred';
    }
  | {
      readonly type: 'RecycleAppPool';
      readonly machineUid: Uid;
      readonly pool: AppPoolDependent;
    }
  | {
      readonly type: 'Finish';
      readonly status: JobOutcome;
      readonly counts: JobCounts;
      readonly message: string;
    };

/** The actions that act on one machine. @category model */
export type MachineAction = Extract<Action, { readonly machineUid: Uid }>;

/**
 * Whether an action acts on a machine (and so runs in that machine's
 * ordered lane).
 *
 * @category utils
 */
export const isMachineAction = (action: Action): action is MachineAction =>
  'machineUid' in action;
