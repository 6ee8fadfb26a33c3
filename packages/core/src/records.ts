import * as t from 'io-ts';
import { UidCodec } from './uid.js';

const optional = <P extends t.Props>(props: P) => t.partial(props);

/**
 * A process that runs jobs for the machines it can reach.
 *
 * @category codecs
 */
export const GatewayCodec = t.type(
  { type: t.literal('gateway'), uid: UidCodec, name: t.string },
  'Gateway',
);

/** @category model */
export type Gateway = t.TypeOf<typeof GatewayCodec>;

/**
 * How a machine is reached: WinRM over HTTPS (5986) or OpenSSH (22).
 *
 * @category codecs
 */
export const ProtocolCodec = t.keyof({ winrm: null, ssh: null }, 'Protocol');

/** @category model */
export type Protocol = t.TypeOf<typeof ProtocolCodec>;

/**
 * How the machine's identity is checked. For SSH: a pinned SHA-256 host key
 * fingerprint (`SHA256:…` as OpenSSH prints it) or a known_hosts file. For
 * WinRM: a CA file or a pinned SHA-256 certificate fingerprint;
 * `insecureSkipVerify` turns checking off and is named so on purpose.
 *
 * @category codecs
 */
export const TrustCodec = t.partial(
  {
    hostKeyFingerprint: t.string,
    knownHostsFile: t.string,
    caFile: t.string,
    certificateFingerprint: t.string,
    insecureSkipVerify: t.boolean,
  },
  'Trust',
);

/** @category model */
export type Trust = t.TypeOf<typeof TrustCodec>;

/**
 * A Windows host. `os` is kept as written in the inventory (it may be
 * missing or wrong); the deciders check it.
 *
 * @category codecs
 */
export const MachineCodec = t.intersection(
  [
    t.type({
      type: t.literal('machine'),
      uid: UidCodec,
      name: t.string,
      host: t.string,
      port: t.number,
      protocol: ProtocolCodec,
      gatewayUid: UidCodec,
      adminUserUid: UidCodec,
    }),
    optional({ os: t.string, trust: TrustCodec }),
  ],
  'Machine',
);

/** @category model */
export type Machine = t.TypeOf<typeof MachineCodec>;

/**
 * Where an account lives: in a domain, or local to one machine.
 *
 * @category codecs
 */
export const AccountScopeCodec = t.keyof(
  { domain: null, local: null },
  'AccountScope',
);

/** @category model */
export type AccountScope = t.TypeOf<typeof AccountScopeCodec>;

/**
 * The names a domain goes by, used to match account names as Windows writes
 * them (`CONTOSO\svc`, `contoso.com\svc`, `svc@contoso.com`).
 *
 * @category codecs
 */
export const DomainNamesCodec = t.intersection(
  [
    t.type({ netbios: t.string, dns: t.string }),
    optional({ upnSuffixes: t.array(t.string) }),
  ],
  'DomainNames',
);

/** @category model */
export type DomainNames = t.TypeOf<typeof DomainNamesCodec>;

/**
 * A privileged account whose password is rotated, or the admin account used
 * to log on to machines. `login` is as the operator wrote it
 * (`CONTOSO\svc-app`, `svc-app@contoso.com`, `.\svc-app`).
 * `passwordHostUid` names the machine through which a domain password is
 * changed, or the machine a local account lives on.
 *
 * @category codecs
 */
export const UserCodec = t.intersection(
  [
    t.type({
      type: t.literal('user'),
      uid: UidCodec,
      title: t.string,
      login: t.string,
      scope: AccountScopeCodec,
    }),
    optional({
      domain: DomainNamesCodec,
      passwordHostUid: UidCodec,
      privateKeyFile: t.string,
    }),
  ],
  'User',
);

/** @category model */
export type User = t.TypeOf<typeof UserCodec>;

/**
 * Any record of the inventory, told apart by `type`.
 *
 * @category codecs
 */
export const InventoryRecordCodec = t.union(
  [GatewayCodec, MachineCodec, UserCodec],
  'InventoryRecord',
);

/** @category model */
export type InventoryRecord = t.TypeOf<typeof InventoryRecordCodec>;

/**
 * Read access to the records a gateway knows, by uid.
 *
 * @category ports
 */
export interface Inventory {
  /** The record with this uid, or `undefined`. */
  readonly get: (uid: string) => InventoryRecord | undefined;
  /** Every record, in a stable order. */
  readonly all: () => ReadonlyArray<InventoryRecord>;
}

/**
 * An {@link Inventory} over a list of records.
 *
 * @category constructors
 */
export const inventoryOf = (
  records: ReadonlyArray<InventoryRecord>,
): Inventory => {
  const byUid = new Map(records.map((r) => [r.uid as string, r]));

  return { get: (uid) => byUid.get(uid), all: () => records };
};
