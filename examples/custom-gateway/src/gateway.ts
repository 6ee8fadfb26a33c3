import * as E from 'fp-ts/lib/Either.js';
import { lastValueFrom, tap } from 'rxjs';
import {
  allKinds,
  createEngine,
  createMemorySecretStore,
  nodeRandom,
  randomIds,
  systemClock,
  type Logger,
  type RecordedEvent,
  type Secret,
} from '@rotor/core';
import { openSqliteEventStore } from '@rotor/store-sqlite';
import { createSshTransport } from '@rotor/transport-ssh';
import { createWinrmTransport } from '@rotor/transport-winrm';
import { createWindowsHost, hostAccountRotator } from '@rotor/windows';
import {
  inventoryFrom,
  type AppAccount,
  type AppRecords,
} from './appRecords.js';
import { byProtocol } from './router.js';
import { submitter } from './submit.js';

/** What the gateway needs from the application that embeds it. */
export interface GatewayOptions {
  readonly records: AppRecords;
  readonly dbPath: string;
  /** A password from the application's vault: the admin's, an account's. */
  readonly passwordOf: (account: AppAccount) => Secret;
  readonly logger: Logger;
}

/**
 * Maps `account` to every server of the records, rotates its password,
 * logs each event as progress, and resolves to the job's events.
 */
export const rotateEverywhere = async (
  options: GatewayOptions,
  account: AppAccount,
): Promise<ReadonlyArray<RecordedEvent>> => {
  const { records, logger } = options;
  const inventory = inventoryFrom(records);
  const opened = await openSqliteEventStore({ path: options.dbPath, logger });
  if (E.isLeft(opened)) {
    throw new Error(`cannot open the store: ${opened.left._tag}`);
  }
  const store = opened.right;
  const admin = {
    username: records.admin.login,
    password: options.passwordOf(records.admin),
  };
  const credentials = () => Promise.resolve(E.right(admin));
  const host = createWindowsHost(
    byProtocol(
      createSshTransport({ credentials, logger }),
      createWinrmTransport({ credentials, logger }),
    ),
    { logger },
  );
  const submit = submitter(store, inventory, records.gatewayId);
  const events: RecordedEvent[] = [];
  try {
    const [at, by] = [systemClock.now().toISOString(), 'custom-gateway'];
    for (const server of records.servers) {
      const kinds = [...allKinds];
      await submit({
        type: 'AddMapping',
        machineUid: server.id,
        userUid: account.id,
        kinds,
        by,
        at,
      });
    }
    const jobId = randomIds(nodeRandom).newUid();
    const rotation = { external: false, restart: true };
    await submit({
      type: 'ScheduleRotation',
      userUid: account.id,
      jobId,
      options: rotation,
      by,
      at,
    });
    const engine = createEngine({
      store,
      host,
      secrets: createMemorySecretStore({
        [account.id]: options.passwordOf(account).reveal(),
      }),
      rotator: hostAccountRotator({ host, inventory }),
      inventory,
      clock: systemClock,
      random: nodeRandom,
      logger,
    });
    const progress = tap((event: RecordedEvent) => {
      events.push(event);
      logger.info('rotation.progress', { jobId, event: event.type });
    });
    await lastValueFrom(engine.run(jobId).pipe(progress), {
      defaultValue: undefined,
    });
  } finally {
    // The engine closes `host` (and both transports) when the run ends.
    await store.close();
  }

  return events;
};
