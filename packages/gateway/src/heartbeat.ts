import {
  gatewayStream,
  type Clock,
  type EventStore,
  type GatewayEvent,
  type StoreError,
  type Uid,
} from '@rotor/core';
import type * as E from 'fp-ts/lib/Either.js';

/** Who a heartbeat is for. @category model */
export interface HeartbeatOptions {
  readonly store: EventStore;
  readonly gatewayUid: Uid;
  readonly processId: string;
  readonly clock: Clock;
  /** How long after now the heartbeat counts as live. */
  readonly ttlMs: number;
}

/**
 * Appends a `GatewayHeartbeat` live until `ttlMs` from now to
 * `gateway-<gatewayUid>` (any revision: heartbeats never conflict).
 *
 * @category effects
 */
export const recordHeartbeat = (
  options: HeartbeatOptions,
): Promise<E.Either<StoreError, unknown>> => {
  const now = options.clock.now().getTime();
  const event: GatewayEvent = {
    type: 'GatewayHeartbeat',
    data: {
      gatewayUid: options.gatewayUid,
      processId: options.processId,
      at: new Date(now).toISOString(),
      expiresAt: new Date(now + options.ttlMs).toISOString(),
    },
  };

  return options.store.append(
    gatewayStream(options.gatewayUid),
    [event],
    'any',
  );
};

/**
 * Appends `GatewayProcessStopped`: the process is gone before its last
 * heartbeat expires.
 *
 * @category effects
 */
export const recordStopped = (
  options: Omit<HeartbeatOptions, 'ttlMs'>,
): Promise<E.Either<StoreError, unknown>> => {
  const event: GatewayEvent = {
    type: 'GatewayProcessStopped',
    data: {
      gatewayUid: options.gatewayUid,
      processId: options.processId,
      at: options.clock.now().toISOString(),
    },
  };

  return options.store.append(
    gatewayStream(options.gatewayUid),
    [event],
    'any',
  );
};
