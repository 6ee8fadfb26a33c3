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
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';
import { readSecretRef, type LoadedInventory } from './inventory.js';
import { CliError } from './output.js';

/**
 * A transport that sends each machine to the transport of its protocol.
 * WinRM is not built yet: such machines fail with a clear, permanent error.
 */
export const routingTransport = (ssh: Transport): Transport => ({
  run: async (machine: Machine, command, options) => {
    if (machine.protocol === 'ssh') {
      return ssh.run(machine, command, options);
    }

    // TODO(4): route to @rotor/transport-winrm once it exists; until then a
    // winrm machine fails alone and the rest of the job goes on.
    return E.left({
      _tag: 'TransportError',
      code: 'ProtocolError',
      machineUid: machine.uid,
      message: 'the WinRM transport is not available in this build',
      transient: false,
    });
  },
  close: () => ssh.close(),
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

/** The transport to every machine of an inventory (SSH; WinRM later). */
export const buildTransport = (deps: {
  readonly inv: LoadedInventory;
  readonly secrets: SecretStore;
  readonly logger?: Logger;
}): Transport =>
  routingTransport(
    createSshTransport({
      credentials: credentialsFor(deps.inv, deps.secrets),
      ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    }),
  );

/** The Windows operations over {@link buildTransport}. */
export const buildHost = (deps: {
  readonly inv: LoadedInventory;
  readonly secrets: SecretStore;
  readonly logger?: Logger;
}): HostOperations => createWindowsHost(buildTransport(deps));

/** How the restarts of a run are gated (canary, failed-logon budget). */
export interface GateOptions {
  readonly logonFailureBudget?: number;
  readonly lockoutThreshold?: number;
}

/** The engine over SSH (and, later, WinRM) for an inventory. */
export const buildEngine = (deps: {
  readonly inv: LoadedInventory;
  readonly store: EventStore;
  readonly secrets: SecretStore;
  readonly logger?: Logger;
  readonly parallel?: number;
  readonly gate?: GateOptions;
}): Engine => {
  const host = buildHost(deps);
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
