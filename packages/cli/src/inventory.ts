import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import {
  Secret,
  inventoryOf,
  isUid,
  type Gateway,
  type Inventory,
  type InventoryRecord,
  type Machine,
  type User,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { parse } from 'yaml';

/**
 * Where a secret comes from: an environment variable or a file. The
 * inventory never holds a secret itself.
 */
const SecretRefCodec = t.union([
  t.type({ env: t.string }),
  t.type({ file: t.string }),
]);

export type SecretRef = t.TypeOf<typeof SecretRefCodec>;

const DocumentCodec = t.type({
  gateways: t.array(t.type({ uid: t.string, name: t.string })),
  machines: t.array(
    t.intersection([
      t.type({
        uid: t.string,
        name: t.string,
        host: t.string,
        protocol: t.keyof({ ssh: null, winrm: null }),
        gateway: t.string,
        admin: t.string,
      }),
      t.partial({
        port: t.number,
        os: t.string,
        trust: t.partial({
          hostKeyFingerprint: t.string,
          knownHostsFile: t.string,
          caFile: t.string,
          certificateFingerprint: t.string,
          insecureSkipVerify: t.boolean,
        }),
      }),
    ]),
  ),
  users: t.array(
    t.intersection([
      t.type({
        uid: t.string,
        title: t.string,
        login: t.string,
        scope: t.keyof({ domain: null, local: null }),
      }),
      t.partial({
        domain: t.intersection([
          t.type({ netbios: t.string, dns: t.string }),
          t.partial({ upnSuffixes: t.array(t.string) }),
        ]),
        passwordHost: t.string,
        password: SecretRefCodec,
        privateKey: t.type({ file: t.string }),
      }),
    ]),
  ),
});

/** A loaded inventory: the records, and where each user's secret is. */
export interface LoadedInventory {
  readonly inventory: Inventory;
  readonly passwords: ReadonlyMap<string, SecretRef>;
  readonly gateways: ReadonlyArray<Gateway>;
  readonly machines: ReadonlyArray<Machine>;
  readonly users: ReadonlyArray<User>;
}

/** Why an inventory could not be loaded; names the place, never a value. */
export interface InventoryError {
  readonly _tag: 'InventoryError';
  readonly message: string;
}

const fail = (message: string): E.Either<InventoryError, never> =>
  E.left({ _tag: 'InventoryError', message });

const paths = (errors: t.Errors): string =>
  errors
    .slice(0, 5)
    .map((e) => {
      const path = e.context
        .map((c) => c.key)
        .filter((k) => k !== '' && !/^\d+$/.test(k) === true)
        .join('.');
      const expected = e.context[e.context.length - 1]?.type.name ?? '?';

      return `${path || '(root)'}: expected ${expected}`;
    })
    .join('; ');

/** Parses an inventory document and resolves names to uids. */
export const parseInventory = (
  text: string,
  baseDir: string,
): E.Either<InventoryError, LoadedInventory> => {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    return fail(`not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const decoded = DocumentCodec.decode(raw);
  if (E.isLeft(decoded)) {
    return fail(`inventory does not fit: ${paths(decoded.left)}`);
  }
  const doc = decoded.right;
  for (const r of [...doc.gateways, ...doc.machines, ...doc.users]) {
    if (!isUid(r.uid)) {
      return fail(`'${r.uid}' is not a uid (22 characters of base64url)`);
    }
  }
  const byName = <T extends { uid: string }>(
    items: ReadonlyArray<T>,
    name: (x: T) => string,
  ) => {
    const m = new Map<string, string>();
    for (const x of items) {
      m.set(x.uid, x.uid);
      m.set(name(x).toLowerCase(), x.uid);
    }

    return (ref: string) => m.get(ref) ?? m.get(ref.toLowerCase());
  };
  const gatewayRef = byName(doc.gateways, (g) => g.name);
  const userRef = byName(doc.users, (u) => u.title);
  const machineRef = byName(doc.machines, (m) => m.name);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(baseDir, p));

  const gateways: Gateway[] = doc.gateways.map((g) => ({
    type: 'gateway',
    uid: g.uid as Gateway['uid'],
    name: g.name,
  }));
  const machines: Machine[] = [];
  for (const m of doc.machines) {
    const gatewayUid = gatewayRef(m.gateway);
    const adminUid = userRef(m.admin);
    if (gatewayUid === undefined) {
      return fail(`machine ${m.name}: no gateway '${m.gateway}'`);
    }
    if (adminUid === undefined) {
      return fail(`machine ${m.name}: no user '${m.admin}' for admin`);
    }
    machines.push({
      type: 'machine',
      uid: m.uid as Machine['uid'],
      name: m.name,
      host: m.host,
      port: m.port ?? (m.protocol === 'ssh' ? 22 : 5986),
      protocol: m.protocol,
      gatewayUid: gatewayUid as Machine['uid'],
      adminUserUid: adminUid as Machine['uid'],
      ...(m.os === undefined ? {} : { os: m.os }),
      ...(m.trust === undefined
        ? {}
        : {
            trust: {
              ...m.trust,
              ...(m.trust.knownHostsFile === undefined
                ? {}
                : { knownHostsFile: abs(m.trust.knownHostsFile) }),
              ...(m.trust.caFile === undefined
                ? {}
                : { caFile: abs(m.trust.caFile) }),
            },
          }),
    });
  }
  const users: User[] = [];
  const passwords = new Map<string, SecretRef>();
  for (const u of doc.users) {
    let passwordHostUid: string | undefined;
    if (u.passwordHost !== undefined) {
      passwordHostUid = machineRef(u.passwordHost);
      if (passwordHostUid === undefined) {
        return fail(`user ${u.title}: no machine '${u.passwordHost}'`);
      }
    }
    users.push({
      type: 'user',
      uid: u.uid as User['uid'],
      title: u.title,
      login: u.login,
      scope: u.scope,
      ...(u.domain === undefined ? {} : { domain: u.domain }),
      ...(passwordHostUid === undefined
        ? {}
        : { passwordHostUid: passwordHostUid as User['uid'] }),
      ...(u.privateKey === undefined
        ? {}
        : { privateKeyFile: abs(u.privateKey.file) }),
    });
    if (u.password !== undefined) {
      passwords.set(
        u.uid,
        'file' in u.password ? { file: abs(u.password.file) } : u.password,
      );
    }
  }
  const records: InventoryRecord[] = [...gateways, ...machines, ...users];

  return E.right({
    inventory: inventoryOf(records),
    passwords,
    gateways,
    machines,
    users,
  });
};

/** Reads and parses an inventory file. */
export const loadInventory = (
  path: string,
): E.Either<InventoryError, LoadedInventory> => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return fail(`cannot read the inventory file ${path}`);
  }

  return parseInventory(text, dirname(resolve(path)));
};

/** Reads a secret from where the inventory says it is. */
export const readSecretRef = (
  ref: SecretRef,
): E.Either<InventoryError, Secret> => {
  if ('env' in ref) {
    const v = process.env[ref.env];

    return v === undefined || v === ''
      ? fail(`environment variable ${ref.env} is not set`)
      : E.right(Secret.of(v));
  }
  let text: string;
  try {
    text = readFileSync(ref.file, 'utf8').replace(/\r?\n$/, '');
  } catch {
    return fail(`cannot read the secret file ${ref.file}`);
  }
  // An empty file (a failed vault export) or one of several lines would
  // otherwise be written into every dependent as the password.
  if (text === '') {
    return fail(`the secret file ${ref.file} is empty`);
  }
  if (/[\r\n]/.test(text)) {
    return fail(
      `the secret file ${ref.file} holds more than one line; it must hold the password alone`,
    );
  }

  return E.right(Secret.of(text));
};
