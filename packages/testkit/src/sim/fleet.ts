import {
  type Gateway,
  type Inventory,
  type InventoryRecord,
  type Machine,
  type Protocol,
  type Uid,
  type User,
  inventoryOf,
  uidFromBytes,
} from '@rotor/core';
import type { SimAccountSpec } from './accountBook.js';
import { SimDomain, type SimDomainSpec } from './simDomain.js';
import { SimHost, type SimHostSpec } from './simHost.js';

/**
 * An account whose password rotor rotates. A domain account lives in the
 * fleet's domain; a local one on the host named by `hostKey`. `login`
 * defaults to `NETBIOS\sam` or `.\sam`.
 *
 * @category testing
 */
export interface FleetUserSpec extends Omit<SimAccountSpec, 'sam'> {
  readonly key: string;
  readonly sam: string;
  readonly scope: 'domain' | 'local';
  readonly hostKey?: string;
  readonly login?: string;
  /** For a domain account: the host its password is changed through. */
  readonly passwordHostKey?: string;
}

/** A host of the fleet; joined to the fleet's domain unless `joined: false`. */
export interface FleetHostSpec extends Omit<SimHostSpec, 'domain'> {
  readonly key: string;
  readonly joined?: boolean;
  readonly protocol?: Protocol;
  readonly os?: string;
}

/** What {@link buildFleet} builds. @category testing */
export interface FleetSpec {
  readonly domain?: SimDomainSpec;
  readonly users: ReadonlyArray<FleetUserSpec>;
  readonly hosts: ReadonlyArray<FleetHostSpec>;
  readonly gatewayName?: string;
  /** Varies the uids between fleets built in one test. */
  readonly uidSeed?: number;
}

/**
 * A simulated fleet and the inventory records that describe it: a gateway,
 * an admin user, a machine per host and a user per rotated account.
 * `hosts` is keyed by machine uid, ready for `createSimTransport`.
 *
 * @category testing
 */
export interface Fleet {
  readonly domain: SimDomain | undefined;
  readonly gateway: Gateway;
  readonly admin: User;
  readonly machines: ReadonlyMap<string, Machine>;
  readonly users: ReadonlyMap<string, User>;
  readonly hosts: ReadonlyMap<string, SimHost>;
  readonly hostByKey: ReadonlyMap<string, SimHost>;
  readonly records: ReadonlyArray<InventoryRecord>;
  readonly inventory: Inventory;
}

const uidMaker = (seed: number) => {
  let n = 0;

  return (): Uid => {
    n += 1;
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setUint32(0, seed >>> 0);
    new DataView(bytes.buffer).setUint32(12, n);

    return uidFromBytes(bytes);
  };
};

const get = <V>(map: ReadonlyMap<string, V>, key: string, what: string): V => {
  const v = map.get(key);
  if (v === undefined) {
    throw new Error(`fleet spec names an unknown ${what} '${key}'`);
  }

  return v;
};

/**
 * Builds a fleet from a spec. Throws on a spec that names a host it does
 * not define (a programmer error in a test).
 *
 * @category testing
 */
export const buildFleet = (spec: FleetSpec): Fleet => {
  const newUid = uidMaker(spec.uidSeed ?? 0);
  const domainUsers = spec.users.filter((u) => u.scope === 'domain');
  const domain =
    spec.domain === undefined
      ? undefined
      : new SimDomain({
          ...spec.domain,
          accounts: [
            ...(spec.domain.accounts ?? []),
            { sam: 'rotor-admin', password: 'admin-password' },
            ...domainUsers,
          ],
        });
  const gateway: Gateway = {
    type: 'gateway',
    uid: newUid(),
    name: spec.gatewayName ?? 'gateway-1',
  };
  const admin: User = {
    type: 'user',
    uid: newUid(),
    title: 'rotor admin',
    login:
      domain === undefined
        ? '.\\rotor-admin'
        : `${domain.netbios}\\rotor-admin`,
    scope: domain === undefined ? 'local' : 'domain',
    ...(domain === undefined ? {} : { domain: domain.names() }),
  };
  const machines = new Map<string, Machine>();
  const hosts = new Map<string, SimHost>();
  const hostByKey = new Map<string, SimHost>();
  for (const h of spec.hosts) {
    const joined = h.joined ?? domain !== undefined;
    const localUsers = spec.users.filter(
      (u) => u.scope === 'local' && u.hostKey === h.key,
    );
    const host = new SimHost({
      ...h,
      ...(joined && domain !== undefined ? { domain } : {}),
      localAccounts: [...(h.localAccounts ?? []), ...localUsers],
    });
    const protocol = h.protocol ?? 'winrm';
    const machine: Machine = {
      type: 'machine',
      uid: newUid(),
      name: h.computerName,
      host:
        joined && domain !== undefined
          ? `${h.computerName.toLowerCase()}.${domain.dns}`
          : h.computerName.toLowerCase(),
      port: protocol === 'winrm' ? 5986 : 22,
      protocol,
      gatewayUid: gateway.uid,
      adminUserUid: admin.uid,
      os: h.os ?? 'windows',
    };
    machines.set(h.key, machine);
    hosts.set(machine.uid, host);
    hostByKey.set(h.key, host);
  }
  const users = new Map<string, User>();
  for (const u of spec.users) {
    const passwordHost = u.scope === 'local' ? u.hostKey : u.passwordHostKey;
    const user: User = {
      type: 'user',
      uid: newUid(),
      title: u.sam,
      login:
        u.login ??
        (u.scope === 'local' || domain === undefined
          ? `.\\${u.sam}`
          : `${domain.netbios}\\${u.sam}`),
      scope: u.scope,
      ...(u.scope === 'domain' && domain !== undefined
        ? { domain: domain.names() }
        : {}),
      ...(passwordHost === undefined
        ? {}
        : { passwordHostUid: get(machines, passwordHost, 'host').uid }),
    };
    users.set(u.key, user);
  }
  const records: InventoryRecord[] = [
    gateway,
    admin,
    ...machines.values(),
    ...users.values(),
  ];

  return {
    domain,
    gateway,
    admin,
    machines,
    users,
    hosts,
    hostByKey,
    records,
    inventory: inventoryOf(records),
  };
};
