import * as t from 'io-ts';
import type {
  AppPoolState,
  IdentityType,
  ServiceState,
  StartMode,
  TaskLogonType,
  TaskState,
} from '@rotor/core';

/**
 * io-ts codecs for values as Windows PowerShell 5.1 and PowerShell 7 print
 * them: enums as numbers or names (in several spellings), lists as an
 * array, one object or nothing, dates as `/Date(ms)/` or ISO 8601. Each
 * decodes to rotor's own vocabulary; an unknown value is a decode error
 * naming the expected type, never echoing the value.
 *
 * @packageDocumentation
 */

const key = (text: string): string => text.replace(/[\s_-]/g, '').toLowerCase();

const enumCodec = <A extends string>(
  name: string,
  byNumber: Readonly<Record<number, A>>,
  byName: Readonly<Record<string, A>>,
): t.Type<A, A, unknown> =>
  new t.Type<A, A, unknown>(
    name,
    (u): u is A =>
      typeof u === 'string' && Object.values(byName).includes(u as A),
    (u, c) => {
      // Own properties only: `constructor` is not a state.
      const found =
        typeof u === 'number' && Object.hasOwn(byNumber, u)
          ? byNumber[u]
          : typeof u === 'string' && Object.hasOwn(byName, key(u))
            ? byName[key(u)]
            : undefined;

      return found === undefined ? t.failure(u, c) : t.success(found);
    },
    t.identity,
  );

/**
 * A service's run state: Win32_Service `State` names (`Start Pending`) or
 * ServiceControllerStatus numbers and names (4, `StartPending`). Never the
 * Win32_Service `Status` health value (`OK`).
 *
 * @category codecs
 */
export const ServiceStateFromWindows = enumCodec<ServiceState>(
  'ServiceState',
  {
    1: 'stopped',
    2: 'start-pending',
    3: 'stop-pending',
    4: 'running',
    5: 'continue-pending',
    6: 'pause-pending',
    7: 'paused',
  },
  {
    stopped: 'stopped',
    startpending: 'start-pending',
    stoppending: 'stop-pending',
    running: 'running',
    continuepending: 'continue-pending',
    pausepending: 'pause-pending',
    paused: 'paused',
    unknown: 'unknown',
  },
);

/**
 * A start mode: Win32_Service `StartMode` (`Auto`), ServiceStartMode
 * numbers and names (2, `Automatic`) or PowerShell 7's StartupType, whose
 * 10 is Automatic (Delayed Start).
 *
 * @category codecs
 */
export const StartModeFromWindows = enumCodec<StartMode>(
  'StartMode',
  {
    0: 'boot',
    1: 'system',
    2: 'auto',
    3: 'manual',
    4: 'disabled',
    10: 'delayed-auto',
  },
  {
    boot: 'boot',
    system: 'system',
    auto: 'auto',
    automatic: 'auto',
    manual: 'manual',
    disabled: 'disabled',
    automaticdelayedstart: 'delayed-auto',
    unknown: 'unknown',
  },
);

/**
 * A task's logon type: a TASK_LOGON_TYPE number, or a name as the COM API
 * (`InteractiveToken`) or the ScheduledTasks module (`Interactive`,
 * `InteractiveOrPassword`) spells it.
 *
 * @category codecs
 */
export const TaskLogonTypeFromWindows = enumCodec<TaskLogonType>(
  'TaskLogonType',
  {
    0: 'none',
    1: 'password',
    2: 's4u',
    3: 'interactive-token',
    4: 'group',
    5: 'service-account',
    6: 'interactive-token-or-password',
  },
  {
    none: 'none',
    password: 'password',
    s4u: 's4u',
    interactivetoken: 'interactive-token',
    group: 'group',
    serviceaccount: 'service-account',
    interactivetokenorpassword: 'interactive-token-or-password',
    // The ScheduledTasks module's own enum (Get-ScheduledTask) names these
    // two without "Token".
    interactive: 'interactive-token',
    interactiveorpassword: 'interactive-token-or-password',
  },
);

/** A task's state (StateEnum of the ScheduledTasks module). @category codecs */
export const TaskStateFromWindows = enumCodec<TaskState>(
  'TaskState',
  { 0: 'unknown', 1: 'disabled', 2: 'queued', 3: 'ready', 4: 'running' },
  {
    unknown: 'unknown',
    disabled: 'disabled',
    queued: 'queued',
    ready: 'ready',
    running: 'running',
  },
);

/** An app pool identity type (ProcessModelIdentityType). @category codecs */
export const IdentityTypeFromWindows = enumCodec<IdentityType>(
  'IdentityType',
  {
    0: 'local-system',
    1: 'local-service',
    2: 'network-service',
    3: 'specific-user',
    4: 'application-pool-identity',
  },
  {
    localsystem: 'local-system',
    localservice: 'local-service',
    networkservice: 'network-service',
    specificuser: 'specific-user',
    applicationpoolidentity: 'application-pool-identity',
  },
);

/** An app pool state (ObjectState), number or name. @category codecs */
export const AppPoolStateFromWindows = enumCodec<AppPoolState>(
  'AppPoolState',
  { 0: 'starting', 1: 'started', 2: 'stopping', 3: 'stopped', 4: 'unknown' },
  {
    starting: 'starting',
    started: 'started',
    stopping: 'stopping',
    stopped: 'stopped',
    unknown: 'unknown',
  },
);

/**
 * The items of a list as PowerShell 5.1 prints one: an array, a single
 * object, `null`/absent/empty text for none, or the `{"value":[…],
 * "Count":n}` wrapper 5.1 gives arrays that carry extended properties.
 *
 * @category utils
 */
export const itemsOf = (u: unknown): ReadonlyArray<unknown> => {
  if (u === null || u === undefined || u === '') {
    return [];
  }
  if (Array.isArray(u)) {
    return u;
  }
  if (
    typeof u === 'object' &&
    'value' in u &&
    'Count' in u &&
    Array.isArray(u.value)
  ) {
    return u.value as ReadonlyArray<unknown>;
  }

  return [u];
};

/**
 * A list of `item` in any of the shapes {@link itemsOf} accepts.
 *
 * @category codecs
 */
export const listOf = <C extends t.Mixed>(
  item: C,
): t.Type<Array<t.TypeOf<C>>, Array<t.OutputOf<C>>, unknown> => {
  const array = t.array(item);

  return new t.Type(
    `ListOf<${item.name}>`,
    array.is,
    (u, c) => array.validate(itemsOf(u), c),
    array.encode,
  );
};

const msDate = /^\\?\/Date\((-?\d+)([+-]\d{4})?\)\\?\/$/;

/**
 * A date as 5.1 prints it (`/Date(1796292000000)/`, also with the JSON
 * text's `\/` escapes left in, and with an offset suffix that does not
 * change the instant) or as PowerShell 7 does (ISO 8601 with an offset).
 *
 * @category utils
 */
export const windowsDate = (text: string): Date | undefined => {
  const ms = msDate.exec(text);
  if (ms !== null) {
    const date = new Date(Number(ms[1]));

    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) {
    return undefined;
  }
  const parsed = new Date(text);

  return Number.isNaN(parsed.getTime()) ? undefined : parsed;
};

/** {@link windowsDate} as a codec. @category codecs */
export const WindowsDateCodec = new t.Type<Date, string, unknown>(
  'WindowsDate',
  (u): u is Date => u instanceof Date,
  (u, c) => {
    const date = typeof u === 'string' ? windowsDate(u) : undefined;

    return date === undefined ? t.failure(u, c) : t.success(date);
  },
  (d) => d.toISOString(),
);
