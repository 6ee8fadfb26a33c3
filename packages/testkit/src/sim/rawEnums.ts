import type {
  AppPoolState,
  IdentityType,
  ServiceState,
  StartMode,
  TaskLogonType,
  TaskState,
} from '@rotor/core';

/**
 * A model value as PowerShell prints it: `[name, number]`, where the
 * number is what Windows PowerShell 5.1 writes for the enum and `name`
 * what the cmdlet or CIM class gives as text. `undefined` as the number
 * means Windows has no number for it and prints the name.
 */
type Printed = readonly [string, number | undefined];

/** Win32_Service.State, and ServiceControllerStatus numbers. */
export const serviceStateRaw: Record<ServiceState, Printed> = {
  stopped: ['Stopped', 1],
  'start-pending': ['Start Pending', 2],
  'stop-pending': ['Stop Pending', 3],
  running: ['Running', 4],
  'continue-pending': ['Continue Pending', 5],
  'pause-pending': ['Pause Pending', 6],
  paused: ['Paused', 7],
  unknown: ['Unknown', undefined],
};

/** Win32_Service.StartMode, and ServiceStartMode numbers. */
export const startModeRaw: Record<StartMode, Printed> = {
  boot: ['Boot', 0],
  system: ['System', 1],
  auto: ['Auto', 2],
  'delayed-auto': ['Auto', 2],
  manual: ['Manual', 3],
  disabled: ['Disabled', 4],
  unknown: ['Unknown', undefined],
};

/** TASK_LOGON_TYPE names and numbers. */
export const taskLogonTypeRaw: Record<TaskLogonType, Printed> = {
  none: ['None', 0],
  password: ['Password', 1],
  s4u: ['S4U', 2],
  'interactive-token': ['InteractiveToken', 3],
  group: ['Group', 4],
  'service-account': ['ServiceAccount', 5],
  'interactive-token-or-password': ['InteractiveTokenOrPassword', 6],
  unknown: ['Unknown', undefined],
};

/** The ScheduledTasks module's StateEnum. */
export const taskStateRaw: Record<TaskState, Printed> = {
  unknown: ['Unknown', 0],
  disabled: ['Disabled', 1],
  queued: ['Queued', 2],
  ready: ['Ready', 3],
  running: ['Running', 4],
};

/** ProcessModelIdentityType. */
export const identityTypeRaw: Record<IdentityType, Printed> = {
  'local-system': ['LocalSystem', 0],
  'local-service': ['LocalService', 1],
  'network-service': ['NetworkService', 2],
  'specific-user': ['SpecificUser', 3],
  'application-pool-identity': ['ApplicationPoolIdentity', 4],
};

/** IIS ObjectState. */
export const appPoolStateRaw: Record<AppPoolState, Printed> = {
  starting: ['Starting', 0],
  started: ['Started', 1],
  stopping: ['Stopping', 2],
  stopped: ['Stopped', 3],
  unknown: ['Unknown', 4],
};

/** The printed form: the number when asked for and one exists. */
export const printEnum = (
  printed: Printed,
  asNumber: boolean,
): string | number =>
  asNumber && printed[1] !== undefined ? printed[1] : printed[0];
