import type {
  AppPoolState,
  IdentityType,
  ServiceState,
  StartMode,
  TaskLogonType,
  TaskState,
} from '@rotor/core';

/**
 * A service as created. Defaults: stopped, manual, LocalSystem, no stored
 * password, no dependencies. `dependsOn` names the services this one needs
 * running. `stuck` keeps a pending state from ever settling.
 *
 * @category testing
 */
export interface SimServiceSpec {
  readonly name: string;
  readonly displayName?: string;
  readonly state?: ServiceState;
  readonly startMode?: StartMode;
  readonly account?: string;
  readonly password?: string;
  readonly dependsOn?: ReadonlyArray<string>;
  readonly stuck?: boolean;
}

/** A service as the simulated SCM holds it. @category testing */
export interface SimService {
  readonly name: string;
  readonly displayName: string;
  state: ServiceState;
  startMode: StartMode;
  /** As Windows wrote it (`StartName`). */
  account: string;
  password: string | undefined;
  readonly dependsOn: ReadonlyArray<string>;
  stuck: boolean;
}

/**
 * A scheduled task as created; `path` is the full path `\Folder\Name`.
 * Defaults: logon type password, state ready.
 *
 * @category testing
 */
export interface SimTaskSpec {
  readonly path: string;
  /** The principal as written; `null` for a group principal. */
  readonly userId?: string | null;
  readonly logonType?: TaskLogonType;
  readonly password?: string;
  readonly state?: TaskState;
}

/** A scheduled task as the simulated Task Scheduler holds it. @category testing */
export interface SimTask {
  readonly path: string;
  userId: string | null;
  readonly logonType: TaskLogonType;
  password: string | undefined;
  state: TaskState;
}

/**
 * An IIS application pool as created. Defaults: ApplicationPoolIdentity,
 * started, no user.
 *
 * @category testing
 */
export interface SimAppPoolSpec {
  readonly name: string;
  readonly identityType?: IdentityType;
  readonly userName?: string;
  readonly password?: string;
  readonly state?: AppPoolState;
}

/** An app pool as the simulated IIS holds it. @category testing */
export interface SimAppPool {
  readonly name: string;
  identityType: IdentityType;
  /** `''` unless the identity is a specific user. */
  userName: string;
  password: string | undefined;
  state: AppPoolState;
}

/**
 * What Windows PowerShell 5.1 does to the JSON a script prints, each
 * switchable so the decoders meet it: a one-element list printed as the
 * element itself, an empty list printed as `null`, enums as numbers, a
 * list wrapped as `{value, Count}`, a UTF-8 BOM before the document,
 * `#< CLIXML` progress records on stderr. The real scripts avoid most of
 * these; the decoders must cope with all of them anyway.
 *
 * @category testing
 */
export interface PsQuirks {
  readonly singleObjectForOne?: boolean;
  readonly nullForEmpty?: boolean;
  readonly enumsAsNumbers?: boolean;
  /** An array with extended properties: `{"value":[…],"Count":n}`. */
  readonly valueCountWrapper?: boolean;
  readonly bom?: boolean;
  readonly clixmlProgress?: boolean;
}

/**
 * The quirks that keep output ASCII-only JSON but change its shape.
 *
 * @category testing
 */
export const ps51Quirks: PsQuirks = {
  singleObjectForOne: true,
  nullForEmpty: true,
  enumsAsNumbers: true,
  valueCountWrapper: true,
};

/**
 * Every step the simulated host took, in order. `dependent` names the
 * service, task or pool; `account` is an account name as written (never a
 * password); `code` is the Windows error of a step that failed.
 *
 * @category testing
 */
export interface JournalEntry {
  readonly seq: number;
  readonly action:
    | 'enumerate-dependents'
    | 'set-service-credential'
    | 'set-task-credential'
    | 'set-apppool-credential'
    | 'start-service'
    | 'stop-service'
    | 'recycle-apppool'
    | 'change-local-password'
    | 'change-domain-password'
    | 'test-logon';
  readonly dependent?: {
    readonly kind: 'service' | 'task' | 'iis';
    readonly name: string;
  };
  readonly account?: string;
  readonly ok: boolean;
  readonly code?: number;
}

/** Per-dependent counts, for property tests. @category testing */
export interface SimCounters {
  starts: number;
  stops: number;
  credentialSets: number;
  recycles: number;
}

/**
 * An entry in the simulated host's Application event log, as the scripts
 * write it after a change (issue 8): source `rotor`, event 1000
 * (Information) for a change that succeeded, 1001 (Warning) for one that
 * failed, and a message naming the job and the dependent, never the
 * password.
 *
 * @category testing
 */
export interface SimEventLogEntry {
  readonly seq: number;
  readonly log: 'Application';
  readonly source: 'rotor';
  readonly eventId: 1000 | 1001;
  readonly entryType: 'Information' | 'Warning';
  readonly message: string;
}
