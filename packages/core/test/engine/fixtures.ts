// Records and events for the planner's and the engine's tests.
import type {
  AppPoolDependent,
  AppPoolState,
  IdentityType,
  JobEvent,
  JobOptions,
  Machine,
  RotationScheduled,
  ServiceDependent,
  ServiceState,
  Target,
  TaskDependent,
  TaskLogonType,
  Uid,
  User,
} from '../../src/index.js';
import { uidFromBytes } from '../../src/index.js';

/** A uid made from one byte, so tests read `uid(3)`, not 22 characters. */
export const uid = (n: number): Uid => uidFromBytes(new Uint8Array(16).fill(n));

export const gatewayUid = uid(200);
export const adminUid = uid(201);
export const userUid = uid(202);
export const jobId = uid(203);

export const user: User = {
  type: 'user',
  uid: userUid,
  title: 'svc-app',
  login: 'CONTOSO\\svc-app',
  scope: 'domain',
};

export const machine = (n: number): Machine => ({
  type: 'machine',
  uid: uid(n),
  name: `host${n}`,
  host: `host${n}.contoso.test`,
  port: 22,
  protocol: 'ssh',
  gatewayUid,
  adminUserUid: adminUid,
  os: 'windows',
});

export const service = (
  name: string,
  state: ServiceState = 'running',
  dependentServices: ServiceDependent['dependentServices'] = [],
): ServiceDependent => ({
  kind: 'service',
  name,
  displayName: name,
  state,
  startMode: 'auto',
  account: 'CONTOSO\\svc-app',
  dependentServices,
});

export const task = (
  name: string,
  logonType: TaskLogonType = 'password',
): TaskDependent => ({
  kind: 'task',
  name,
  account: 'CONTOSO\\svc-app',
  logonType,
  state: 'ready',
});

export const pool = (
  name: string,
  state: AppPoolState = 'started',
  identityType: IdentityType = 'specific-user',
): AppPoolDependent => ({
  kind: 'iis',
  name,
  identityType,
  account: 'CONTOSO\\svc-app',
  state,
});

export const at = '2026-01-01T00:00:00.000Z';

export const allKindsTarget = (n: number): Target => ({
  machineUid: uid(n),
  kinds: ['service', 'task', 'iis'],
});

export const scheduled = (
  targets: ReadonlyArray<Target>,
  options: JobOptions = { external: false, restart: true },
): RotationScheduled => ({
  type: 'RotationScheduled',
  data: {
    jobId,
    gatewayUid,
    userUid,
    targets: [...targets],
    options,
    by: 'tester',
    at,
  },
});

export const passwordChanged = (secretVersion = 2): JobEvent => ({
  type: 'PasswordChanged',
  data: { jobId, secretVersion, by: 'engine', at },
});

export const found = (
  n: number,
  dependents: ReadonlyArray<
    ServiceDependent | TaskDependent | AppPoolDependent
  >,
): JobEvent => ({
  type: 'DependentsFound',
  data: {
    jobId,
    machineUid: uid(n),
    host: { computerName: `HOST${n}`, iisInstalled: true },
    dependents: [...dependents],
    at,
  },
});

export const onDependent = (n: number, name: string) => ({
  jobId,
  machineUid: uid(n),
  dependent: name,
  at,
});
