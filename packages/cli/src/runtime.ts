import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  evolveGateway,
  initialGatewayState,
  mappingStream,
  replay,
  formatDecodeFailure,
  describeDecideError,
  type Decision,
  type EventStore,
  type Gateway,
  type GatewayState,
  type Logger,
  type Machine,
  type Uid,
  type User,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { loadInventory, type LoadedInventory } from './inventory.js';
import { CliError } from './output.js';

/** Options every verb takes. */
export interface GlobalOptions {
  readonly store: string;
  readonly inventory: string;
  readonly secrets?: string;
  readonly secretKeyFile?: string;
  readonly json: boolean;
  /** `--log-level`: debug, info, warn (the default) or error. */
  readonly logLevel?: string;
  /** `--log-file`: where the JSON log lines go (stderr otherwise). */
  readonly logFile?: string;
  /** The structured logger of this command (silent when absent). */
  readonly logger?: Logger;
}

/** The inventory, or a clear error when it cannot be read. */
export const requireInventory = (opts: GlobalOptions): LoadedInventory => {
  const loaded = loadInventory(opts.inventory);
  if (E.isLeft(loaded)) {
    throw new CliError(
      `${loaded.left.message} (inventory: ${opts.inventory}; --inventory names another)`,
    );
  }

  return loaded.right;
};

/** Where the secrets file and its key are, beside the store by default. */
export const secretPaths = (
  opts: GlobalOptions,
): { readonly file: string; readonly keyFile: string } => {
  const base = dirname(resolve(opts.store));

  return {
    file: opts.secrets ?? join(base, 'rotor-secrets.json'),
    keyFile: opts.secretKeyFile ?? join(base, 'rotor.key'),
  };
};

const find = <T extends { readonly uid: string }>(
  items: ReadonlyArray<T>,
  name: (x: T) => string,
  ref: string,
): T | undefined =>
  items.find((x) => x.uid === ref) ??
  items.find((x) => name(x).toLowerCase() === ref.toLowerCase());

/** A gateway by uid or name; an error naming the reference otherwise. */
export const resolveGateway = (inv: LoadedInventory, ref: string): Gateway => {
  const g = find(inv.gateways, (x) => x.name, ref);
  if (g === undefined) {
    throw new CliError(`no gateway '${ref}' in the inventory`);
  }

  return g;
};

/**
 * A machine's or user's uid from a uid or a name. An unknown reference is
 * passed on as given, so the core's decision names it.
 */
export const machineRef = (inv: LoadedInventory, ref: string): string =>
  find(inv.machines, (x: Machine) => x.name, ref)?.uid ?? ref;

/** See {@link machineRef}. */
export const userRef = (inv: LoadedInventory, ref: string): string =>
  find(inv.users, (x: User) => x.title, ref)?.uid ?? ref;

/** The gateway's state, folded from its mapping stream and every job. */
export const loadGatewayState = async (
  store: EventStore,
  gatewayUid: Uid,
): Promise<GatewayState> => {
  const replayed = await replay(
    store.readAll({ streamPrefixes: [mappingStream(gatewayUid), 'job-'] }),
    initialGatewayState(gatewayUid),
    evolveGateway,
  );
  if (E.isLeft(replayed)) {
    throw new CliError(formatDecodeFailure(replayed.left), 1);
  }

  return replayed.right.state;
};

/** Appends what a decision says, or fails with the store's reason. */
export const appendDecision = async (
  store: EventStore,
  decision: Decision,
): Promise<void> => {
  if (decision.events.length === 0) {
    return;
  }
  const appended = await store.append(
    decision.stream,
    decision.events,
    decision.expected,
  );
  if (E.isLeft(appended)) {
    const e = appended.left;
    throw new CliError(
      e._tag === 'WrongExpectedRevision'
        ? `another process changed ${e.stream} at the same time; nothing was written, try again`
        : `the event store failed: ${e.message}`,
      1,
    );
  }
};

/** Fails with the core's message for a refused command. */
export const orDecideError = <A>(
  result: E.Either<Parameters<typeof describeDecideError>[0], A>,
): A => {
  if (E.isLeft(result)) {
    throw new CliError(describeDecideError(result.left));
  }

  return result.right;
};

/** Whether a store file exists (job-info on a fresh directory says so). */
export const storeExists = (path: string): boolean => existsSync(path);
