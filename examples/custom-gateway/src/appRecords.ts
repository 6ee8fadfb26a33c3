import {
  inventoryOf,
  type Inventory,
  type InventoryRecord,
  type Uid,
} from '@rotor/core';

/** A server as the embedding application keeps it in its own database. */
export interface AppServer {
  readonly id: Uid;
  readonly hostname: string;
  readonly address: string;
  readonly port: number;
  readonly reachedBy: 'ssh' | 'winrm';
  /** The SSH host key or the TLS certificate fingerprint, pinned. */
  readonly fingerprint: string;
}

/** A service account as the embedding application keeps it. */
export interface AppAccount {
  readonly id: Uid;
  readonly name: string;
  readonly login: string;
  readonly domain: { readonly netbios: string; readonly dns: string };
  /** The server through which the domain password is changed, if any. */
  readonly changedOn?: Uid;
}

/** Everything the application knows, plus who this gateway is. */
export interface AppRecords {
  readonly gatewayId: Uid;
  readonly admin: AppAccount;
  readonly servers: ReadonlyArray<AppServer>;
  readonly accounts: ReadonlyArray<AppAccount>;
}

const userOf = (account: AppAccount): InventoryRecord => ({
  type: 'user',
  uid: account.id,
  title: account.name,
  login: account.login,
  scope: 'domain',
  domain: account.domain,
  ...(account.changedOn === undefined
    ? {}
    : { passwordHostUid: account.changedOn }),
});

/**
 * rotor's inventory from the application's own records: plain objects, so
 * no file format and no copy of the records anywhere else.
 */
export const inventoryFrom = (app: AppRecords): Inventory =>
  inventoryOf([
    { type: 'gateway', uid: app.gatewayId, name: 'embedded' },
    ...app.servers.map((s): InventoryRecord => ({
      type: 'machine',
      uid: s.id,
      name: s.hostname,
      host: s.address,
      port: s.port,
      protocol: s.reachedBy,
      os: 'windows',
      gatewayUid: app.gatewayId,
      adminUserUid: app.admin.id,
      trust:
        s.reachedBy === 'ssh'
          ? { hostKeyFingerprint: s.fingerprint }
          : { certificateFingerprint: s.fingerprint },
    })),
    userOf(app.admin),
    ...app.accounts.map(userOf),
  ]);
