import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import {
  Secret,
  type Machine,
  type RemoteResult,
  type User,
} from '@rotor/core';
import {
  buildFleet,
  demoFleet,
  demoFleetSpec,
  demoPasswords,
  executeOnSimHost,
  startSimSshServer,
  startSimWinrmServer,
  type SimRequest,
  type SimWinrmServer,
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

/** The environment variable of a user's password: ROTOR_DEMO_SVC_APP_PASSWORD. */
const userEnv = (u: User): string =>
  `ROTOR_DEMO_${u.title.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_PASSWORD`;

/** A user's first password: the demo's, or the rotated account's. */
const firstPassword = (u: User): string =>
  (demoPasswords as Record<string, string>)[u.title] ??
  demoPasswords['svc-app'];

/**
 * The fleet `rotor demo` serves: the testkit's demo fleet, with the
 * domain account `svc-other` (OtherSvc on APP01) as a second user, so that
 * discovery, mapping and bulk rotation have more than one user to show.
 * The demo itself rotates `svc-app` only.
 */
export const cliDemoFleet = (): Fleet => {
  const domain = demoFleetSpec.domain;
  if (domain === undefined) {
    throw new Error('the demo fleet has a domain');
  }

  return buildFleet({
    ...demoFleetSpec,
    domain: {
      ...domain,
      accounts: (domain.accounts ?? []).filter((a) => a.sam !== 'svc-other'),
    },
    users: [
      ...demoFleetSpec.users,
      {
        key: 'svc-other',
        sam: 'svc-other',
        password: demoPasswords['svc-other'],
        scope: 'domain',
        passwordHostKey: 'app01',
      },
    ],
  });
};

/**
 * A test's hook in front of the simulated hosts: an answer of its own to a
 * request (a fault), or undefined to let the host answer.
 */
export type DemoIntercept = (
  computerName: string,
  request: SimRequest,
) => RemoteResult | undefined;

/** A simulated host's server: its port, how it is trusted, and stop. */
export interface DemoServer {
  readonly protocol: 'ssh' | 'winrm';
  readonly port: number;
  readonly trust: NonNullable<Machine['trust']>;
  readonly stop: () => Promise<void>;
}

/**
 * A demo fleet served on loopback, one server per host: SSH, or WinRM
 * (HTTPS) for the hosts `winrmHosts` names.
 */
export interface RunningFleet {
  readonly fleet: Fleet;
  readonly servers: ReadonlyMap<string, DemoServer>;
  readonly machines: ReadonlyArray<Machine>;
  readonly rotated: User;
  readonly stop: () => Promise<void>;
}

/** The hosts of the demo fleet reached over WinRM; the rest over SSH. */
export const demoWinrmHosts: ReadonlyArray<string> = ['web01'];

/** How {@link startDemoFleet} serves the fleet. */
export interface DemoFleetOptions {
  /** A test's faults in front of the hosts. */
  readonly intercept?: DemoIntercept;
  /** Keys of the hosts served over WinRM (default {@link demoWinrmHosts}). */
  readonly winrmHosts?: ReadonlyArray<string>;
}

const serveHost = async (
  host: SimHost,
  protocol: 'ssh' | 'winrm',
  admin: { readonly username: string; readonly password: Secret },
  intercept: DemoIntercept | undefined,
): Promise<DemoServer> => {
  const backend =
    intercept === undefined
      ? { host }
      : {
          handler: (request: SimRequest) =>
            Promise.resolve(
              intercept(host.computerName, request) ??
                executeOnSimHost(host, request),
            ),
        };
  if (protocol === 'winrm') {
    const s: SimWinrmServer = await startSimWinrmServer({
      ...backend,
      users: [admin],
      computerName: host.computerName,
    });

    return {
      protocol,
      port: s.port,
      trust: { certificateFingerprint: s.certificateFingerprint },
      stop: s.stop,
    };
  }
  const s: SimSshServer = await startSimSshServer({
    ...backend,
    users: [admin],
  });

  return {
    protocol,
    port: s.port,
    trust: { hostKeyFingerprint: s.hostKeyFingerprint },
    stop: s.stop,
  };
};

/**
 * Builds the demo fleet (or serves `fleet`, built from a spec like the
 * demo's, with its `svc-app` user) and starts a server in front of each
 * simulated host on 127.0.0.1 and a free port: an ssh2 server with its own
 * host key, or for the hosts in `winrmHosts` (WEB01 by default) a WinRM
 * server over HTTPS whose certificate the inventory pins.
 */
export const startDemoFleet = async (
  fleet: Fleet = demoFleet(),
  options: DemoFleetOptions = {},
): Promise<RunningFleet> => {
  const admin = {
    username: fleet.admin.login,
    password: Secret.of('admin-password'),
  };
  const winrmHosts = options.winrmHosts ?? demoWinrmHosts;
  const servers = new Map<string, DemoServer>();
  const stop = async () => {
    await Promise.all([...servers.values()].map((s) => s.stop()));
  };
  try {
    for (const [key, machine] of fleet.machines) {
      const host = fleet.hostByKey.get(key);
      if (host !== undefined) {
        servers.set(
          machine.uid,
          await serveHost(
            host,
            winrmHosts.includes(key) ? 'winrm' : 'ssh',
            admin,
            options.intercept,
          ),
        );
      }
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
      protocol: s?.protocol ?? 'ssh',
      trust: s?.trust ?? {},
    };
  });
  const rotated = fleet.users.get('svc-app');
  if (rotated === undefined) {
    throw new Error('the demo fleet has no svc-app user');
  }
  process.env[adminEnv] = admin.password.reveal();
  for (const u of fleet.users.values()) {
    process.env[userEnv(u)] = firstPassword(u);
  }

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
      password: { env: u.uid === fleet.admin.uid ? adminEnv : userEnv(u) },
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
