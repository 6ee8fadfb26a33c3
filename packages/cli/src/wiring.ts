import { readFileSync } from 'node:fs';
import {
  createEngine,
  nodeRandom,
  systemClock,
  type Engine,
  type EventStore,
  type HostOperations,
  type Logger,
  type Machine,
  type Secret,
  type SecretStore,
  type Transport,
} from '@rotor/core';
import { createSshTransport } from '@rotor/transport-ssh';
import { createWinrmTransport } from '@rotor/transport-winrm';
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';
import { readSecretRef, type LoadedInventory } from './inventory.js';
import { CliError } from './output.js';

/**
 * A transport that sends each machine to the transport of its protocol:
 * `ssh` machines to `ssh`, `winrm` machines to `winrm`. Closing it closes
 * both.
 */
export const routingTransport = (
  ssh: Transport,
  winrm: Transport,
): Transport => ({
  run: (machine: Machine, command, options) =>
    machine.protocol === 'winrm'
      ? winrm.run(machine, command, options)
      : ssh.run(machine, command, options),
  close: async () => {
    await Promise.all([ssh.close(), winrm.close()]);
  },
});

/**
 * The admin credentials of a machine: its admin user's current password in
 * the secret store, else the inventory's reference, and the private key file
 * when the user names one.
 */
const credentialsFor =
  (inv: LoadedInventory, secrets: SecretStore) => async (machine: Machine) => {
    const admin = inv.users.find((u) => u.uid === machine.adminUserUid);
    if (admin === undefined) {
      return E.left({ message: `machine ${machine.name} has no admin user` });
    }
    const current = await secrets.current(admin.uid);
    let password = E.isRight(current) ? current.right.password : undefined;
    if (password === undefined) {
      const ref = inv.passwords.get(admin.uid);
      const read = ref === undefined ? undefined : readSecretRef(ref);
      password = read !== undefined && E.isRight(read) ? read.right : undefined;
    }
    const privateKey =
      admin.privateKeyFile === undefined
        ? undefined
        : readFileSync(admin.privateKeyFile);
    if (password === undefined && privateKey === undefined) {
      return E.left({
        message: `no password or private key for ${admin.title}, the admin user of ${machine.name}`,
      });
    }

    return E.right({
      username: admin.login,
      ...(password === undefined ? {} : { password }),
      ...(privateKey === undefined ? {} : { privateKey }),
    });
  };

/**
 * Puts each inventory user's referenced password into the secret store as
 * its first version, for users that have none yet.
 */
export const seedSecrets = async (
  inv: LoadedInventory,
  secrets: SecretStore & {
    readonly setInitial: (
      userUid: string,
      password: Secret,
    ) => Promise<E.Either<{ readonly message: string }, unknown>>;
  },
): Promise<void> => {
  for (const [uid, ref] of inv.passwords) {
    const current = await secrets.current(uid);
    if (E.isRight(current)) {
      continue;
    }
    if (current.left.code !== 'NotFound') {
      // A version that does not decrypt is a wrong key, not a missing
      // secret: say so rather than ask for the inventory's reference.
      throw new CliError(
        `the secrets file cannot be read (${current.left.message}); check --secret-key-file or ROTOR_SECRET_KEY`,
      );
    }
    const read = readSecretRef(ref);
    if (E.isLeft(read)) {
      throw new CliError(read.left.message);
    }
    const set = await secrets.setInitial(uid, read.right);
    if (E.isLeft(set)) {
      throw new CliError(`the secret store failed: ${set.left.message}`, 1);
    }
  }
};

/**
 * The WinRM credentials of a machine: its admin user's login and password
 * (WinRM has no key logon), with `Negotiate` (NTLMv2), which works for
 * local and domain accounts.
 */
const winrmCredentialsFor =
  (inv: LoadedInventory, secrets: SecretStore) => async (machine: Machine) => {
    const found = await credentialsFor(inv, secrets)(machine);
    if (E.isLeft(found)) {
      return found;
    }
    const { username, password } = found.right;
    if (password === undefined) {
      return E.left({
        message: `no password for ${username}, the admin user of ${machine.name}; WinRM logs on with a password, not a key`,
      });
    }

    return E.right({ username, password });
  };

/**
 * The transport to every machine of an inventory: SSH or WinRM (HTTPS)
 * by the machine's protocol, each checking the host as `machine.trust`
 * says (a host key for SSH, a certificate pin or CA for WinRM).
 */
export const buildTransport = (deps: {
  readonly inv: LoadedInventory;
  readonly secrets: SecretStore;
  readonly logger?: Logger;
}): Transport => {
  const logger = deps.logger === undefined ? {} : { logger: deps.logger };

  return routingTransport(
    createSshTransport({
      credentials: credentialsFor(deps.inv, deps.secrets),
      ...logger,
    }),
    createWinrmTransport({
      credentials: winrmCredentialsFor(deps.inv, deps.secrets),
      ...logger,
    }),
  );
};

/** The Windows operations over {@link buildTransport}. */
export const buildHost = (deps: {
  readonly inv: LoadedInventory;
  readonly secrets: SecretStore;
  readonly logger?: Logger;
}): HostOperations =>
  createWindowsHost(
    buildTransport(deps),
    deps.logger === undefined ? {} : { logger: deps.logger },
  );

/** How the restarts of a run are gated (canary, failed-logon budget). */
export interface GateOptions {
  readonly logonFailureBudget?: number;
  readonly lockoutThreshold?: number;
}

/**
 * The engine over SSH and WinRM for an inventory. Each run closes the
 * connections it opened, unless `host` is given: then the runs share it
 * (several jobs at once) and the caller closes it.
 */
export const buildEngine = (deps: {
  readonly inv: LoadedInventory;
  readonly store: EventStore;
  readonly secrets: SecretStore;
  readonly logger?: Logger;
  readonly parallel?: number;
  readonly gate?: GateOptions;
  readonly host?: HostOperations;
}): Engine => {
  const host = deps.host ?? buildHost(deps);
  const gate = deps.gate ?? {};
  let engine: Engine;
  try {
    engine = createEngine({
      ...(gate.logonFailureBudget === undefined
        ? {}
        : { logonFailureBudget: gate.logonFailureBudget }),
      ...(gate.lockoutThreshold === undefined
        ? {}
        : { lockoutThreshold: gate.lockoutThreshold }),
      store: deps.store,
      host,
      secrets: deps.secrets,
      rotator: hostAccountRotator({ host, inventory: deps.inv.inventory }),
      inventory: deps.inv.inventory,
      ...(deps.host === undefined ? {} : { closeHost: false }),
      clock: systemClock,
      random: nodeRandom,
      ...(deps.logger === undefined ? {} : { logger: deps.logger }),
      ...(deps.parallel === undefined ? {} : { parallel: deps.parallel }),
    });
  } catch (e) {
    if (e instanceof RangeError) {
      throw new CliError(e.message);
    }
    throw e;
  }

  return engine;
};
