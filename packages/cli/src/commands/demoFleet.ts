import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  Secret,
  type Machine,
  type RemoteResult,
  type User,
} from '@rotor/core';
import {
  demoFleet,
  executeOnSimHost,
  startSimSshServer,
  type SimRequest,
  type Fleet,
  type SimHost,
  type SimSshServer,
} from '@rotor/testkit';
import { stringify } from 'yaml';
import { CliError } from '../output.js';

/** The first line of an inventory the demo wrote, so it may rewrite it. */
export const demoMarker = '# written by `rotor demo`; safe to delete';

/** The environment variable the demo's inventory reads secrets from. */
const adminEnv = 'ROTOR_DEMO_ADMIN_PASSWORD';
const userEnv = 'ROTOR_DEMO_SVC_APP_PASSWORD';

/**
 * A test's hook in front of the simulated hosts: an answer of its own to a
 * request (a fault), or undefined to let the host answer.
 */
export type DemoIntercept = (
  computerName: string,
  request: SimRequest,
) => RemoteResult | undefined;

/** A demo fleet served over SSH on loopback, one server per host. */
export interface RunningFleet {
  readonly fleet: Fleet;
  readonly servers: ReadonlyMap<string, SimSshServer>;
  readonly machines: ReadonlyArray<Machine>;
  readonly rotated: User;
  readonly stop: () => Promise<void>;
}

/**
 * Builds the demo fleet (or serves `fleet`, built from a spec like the
 * demo's, with its `svc-app` user) and starts an ssh2 server in front of
 * each simulated host, on 127.0.0.1 and a free port, each with its own host
 * key.
 */
export const startDemoFleet = async (
  fleet: Fleet = demoFleet(),
  intercept?: DemoIntercept,
): Promise<RunningFleet> => {
  const adminPassword = 'admin-password';
  const servers = new Map<string, SimSshServer>();
  const stop = async () => {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  };
  try {
    for (const [uid, host] of fleet.hosts) {
      servers.set(
        uid,
        await startSimSshServer({
          ...(intercept === undefined
            ? { host }
            : {
                handler: (request: SimRequest) =>
                  Promise.resolve(
                    intercept(host.computerName, request) ??
                      executeOnSimHost(host, request),
                  ),
              }),
          users: [
            { username: fleet.admin.login, password: Secret.of(adminPassword) },
          ],
        }),
      );
    }
  } catch (e) {
    await stop();
    throw e;
  }
  const machines = [...fleet.machines.values()].map((m): Machine => {
    const s = servers.get(m.uid);

    return {
      ...m,
      host: '127.0.0.1',
      port: s?.port ?? 0,
      protocol: 'ssh',
      trust: { hostKeyFingerprint: s?.hostKeyFingerprint ?? '' },
    };
  });
  const rotated = fleet.users.get('svc-app');
  if (rotated === undefined) {
    throw new Error('the demo fleet has no svc-app user');
  }
  process.env[adminEnv] = adminPassword;
  process.env[userEnv] = 'Old-Passw0rd!';

  return { fleet, servers, machines, rotated, stop };
};

/**
 * Writes the inventory of a running demo fleet. Refuses to overwrite an
 * inventory that the demo did not write.
 */
export const writeDemoInventory = (path: string, running: RunningFleet) => {
  if (existsSync(path) && !readFileSync(path, 'utf8').startsWith(demoMarker)) {
    throw new CliError(
      `${path} exists and was not written by the demo; run the demo in another directory or pass --inventory`,
    );
  }
  const { fleet, machines } = running;
  const name = (uid: string) =>
    machines.find((m) => m.uid === uid)?.name ?? uid;
  const doc = {
    gateways: [{ uid: fleet.gateway.uid, name: fleet.gateway.name }],
    machines: machines.map((m) => ({
      uid: m.uid,
      name: m.name,
      host: m.host,
      port: m.port,
      protocol: m.protocol,
      os: m.os,
      gateway: fleet.gateway.name,
      admin: fleet.admin.title,
      trust: m.trust,
    })),
    users: [fleet.admin, ...fleet.users.values()].map((u) => ({
      uid: u.uid,
      title: u.title,
      login: u.login,
      scope: u.scope,
      ...(u.domain === undefined ? {} : { domain: u.domain }),
      ...(u.passwordHostUid === undefined
        ? {}
        : { passwordHost: name(u.passwordHostUid) }),
      password: { env: u.uid === fleet.admin.uid ? adminEnv : userEnv },
    })),
  };
  writeFileSync(path, `${demoMarker}\n${stringify(doc)}`);
};

/** Creates the secrets key file (mode 0600) unless it exists. */
export const ensureKeyFile = (path: string): void => {
  if (!existsSync(path)) {
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, {
      mode: 0o600,
    });
    chmodSync(path, 0o600);
  }
};

/** What one dependent on a simulated host looks like, for the check. */
export interface DependentSnapshot {
  readonly machine: string;
  readonly kind: 'service' | 'task' | 'iis';
  readonly name: string;
  readonly account: string;
  readonly state: string;
  readonly password: string | undefined;
  readonly starts: number;
  readonly credentialSets: number;
}

/** Every service, task and pool of the fleet, as it is now. */
export const snapshotFleet = (
  fleet: Fleet,
): ReadonlyArray<DependentSnapshot> => {
  const rows: DependentSnapshot[] = [];
  const counted = (
    host: SimHost,
    kind: 'service' | 'task' | 'iis',
    name: string,
  ) => host.counters({ kind, name });
  for (const [, host] of fleet.hostByKey) {
    for (const s of host.services.values()) {
      const c = counted(host, 'service', s.name);
      rows.push({
        machine: host.computerName,
        kind: 'service',
        name: s.name,
        account: s.account,
        state: s.state,
        password: s.password,
        starts: c.starts,
        credentialSets: c.credentialSets,
      });
    }
    for (const t of host.tasks.values()) {
      const c = counted(host, 'task', t.path);
      rows.push({
        machine: host.computerName,
        kind: 'task',
        name: t.path,
        account: t.userId ?? '',
        state: t.state,
        password: t.password,
        starts: c.starts,
        credentialSets: c.credentialSets,
      });
    }
    for (const p of host.appPools.values()) {
      const c = counted(host, 'iis', p.name);
      rows.push({
        machine: host.computerName,
        kind: 'iis',
        name: p.name,
        account: p.userName,
        state: p.state,
        password: p.password,
        starts: c.starts,
        credentialSets: c.credentialSets,
      });
    }
  }

  return rows;
};
