import {
  decodeRecordedEvent,
  formatDecodeFailure,
  gatewayStream,
  type EventStore,
  type RotorEvent,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';

/**
 * The last word of one gateway process: when its last heartbeat expires
 * (epoch milliseconds), and whether it said it stopped.
 *
 * @category model
 */
export interface ProcessPresence {
  readonly processId: string;
  readonly expiresAt: number;
  readonly stopped: boolean;
}

/**
 * The processes of one gateway, folded from its `gateway-<uid>` stream.
 *
 * @category model
 */
export interface GatewayPresence {
  readonly gatewayUid: string;
  readonly processes: ReadonlyMap<string, ProcessPresence>;
}

/**
 * Whether a gateway has a live process, and how many.
 *
 * @category model
 */
export interface GatewayStatus {
  readonly gatewayUid: string;
  readonly status: 'ONLINE' | 'OFFLINE';
  /** Process ids whose heartbeat has not expired and that did not stop. */
  readonly live: ReadonlyArray<string>;
}

/** A gateway no process has spoken for. @category constructors */
export const initialPresence = (gatewayUid: string): GatewayPresence => ({
  gatewayUid,
  processes: new Map(),
});

/**
 * Folds one event into a gateway's presence: a `GatewayHeartbeat` of the
 * gateway sets its process's expiry (and a heartbeat after a stop means
 * the process id is alive again); `GatewayProcessStopped` marks it
 * stopped. Anything else changes nothing. Pure and total.
 *
 * @category reducers
 */
export const evolvePresence = (
  presence: GatewayPresence,
  event: RotorEvent,
): GatewayPresence => {
  if (
    (event.type !== 'GatewayHeartbeat' &&
      event.type !== 'GatewayProcessStopped') ||
    event.data.gatewayUid !== presence.gatewayUid
  ) {
    return presence;
  }
  const { processId } = event.data;
  const processes = new Map(presence.processes);
  if (event.type === 'GatewayHeartbeat') {
    processes.set(processId, {
      processId,
      expiresAt: Date.parse(event.data.expiresAt),
      stopped: false,
    });
  } else {
    const seen = processes.get(processId);
    processes.set(processId, {
      processId,
      expiresAt: seen?.expiresAt ?? Number.NaN,
      stopped: true,
    });
  }

  return { ...presence, processes };
};

/**
 * A gateway's status at `now` (epoch milliseconds): ONLINE when one of its
 * processes has a heartbeat that expires after `now` and did not stop.
 *
 * @category utils
 */
export const statusAt = (
  presence: GatewayPresence,
  now: number,
): GatewayStatus => {
  const live = [...presence.processes.values()]
    .filter((p) => !p.stopped && p.expiresAt > now)
    .map((p) => p.processId)
    .sort();

  return {
    gatewayUid: presence.gatewayUid,
    status: live.length > 0 ? 'ONLINE' : 'OFFLINE',
    live,
  };
};

/**
 * Reads a gateway's presence from its `gateway-<uid>` stream. A store
 * failure or an event that does not decode is a message.
 *
 * @category effects
 */
export const readPresence = async (
  store: EventStore,
  gatewayUid: string,
): Promise<E.Either<string, GatewayPresence>> => {
  let presence = initialPresence(gatewayUid);
  try {
    // TODO(5): the stream grows by one event per process per heartbeat; a
    // snapshot or a trim of old heartbeats matters after months of uptime.
    for await (const recorded of store.readStream(gatewayStream(gatewayUid))) {
      const decoded = decodeRecordedEvent(recorded);
      if (E.isLeft(decoded)) {
        return E.left(formatDecodeFailure(decoded.left));
      }
      presence = evolvePresence(presence, decoded.right);
    }
  } catch (error: unknown) {
    return E.left(error instanceof Error ? error.message : 'read failed');
  }

  return E.right(presence);
};
