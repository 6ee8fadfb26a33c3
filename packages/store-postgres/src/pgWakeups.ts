import type { Logger } from '@rotor/core';
import type { Pool, PoolClient } from 'pg';

/** A LISTEN session that wakes followers when another process commits. */
export interface Wakeups {
  /** Starts listening if not listening now (at most once per retry). */
  readonly ensure: () => void;
  /** Whether a LISTEN session is up. */
  readonly listening: () => boolean;
  readonly close: () => Promise<void>;
}

/**
 * Keeps one pooled connection LISTENing on `channel` and calls `onWake` for
 * each notification. Notifications are only a hint: one sent while the
 * session is down is lost, so followers keep polling, and a lost session is
 * re-opened by a later `ensure`, no sooner than `retryMs` after the last
 * attempt.
 */
export const startWakeups = (
  pool: Pool,
  channel: string,
  onWake: () => void,
  logger: Logger,
  retryMs = 5000,
): Wakeups => {
  let client: PoolClient | undefined;
  let connecting = false;
  let closed = false;
  let lastAttempt = Number.NEGATIVE_INFINITY;

  const drop = (held: PoolClient, cause: unknown) => {
    if (client !== held) {
      return;
    }
    client = undefined;
    held.release(cause instanceof Error ? cause : true);
    if (!closed) {
      logger.warn('store.postgres.listen.lost', {
        error: cause instanceof Error ? cause.message : 'ended',
      });
    }
  };

  const connect = async () => {
    connecting = true;
    lastAttempt = Date.now();
    let held: PoolClient | undefined;
    try {
      held = await pool.connect();
      const session = held;
      session.on('notification', (message) => {
        if (message.channel === channel) {
          onWake();
        }
      });
      session.on('error', (cause) => drop(session, cause));
      session.on('end', () => drop(session, undefined));
      client = session;
      await session.query(`LISTEN ${channel}`);
      if (closed) {
        drop(session, undefined);
      } else {
        logger.debug('store.postgres.listen.started', { channel });
        // Anything committed while the session was down is found now.
        onWake();
      }
    } catch (cause) {
      if (held !== undefined) {
        drop(held, cause);
      } else if (!closed) {
        logger.warn('store.postgres.listen.failed', {
          error: cause instanceof Error ? cause.message : String(cause),
        });
      }
    } finally {
      connecting = false;
    }
  };

  return {
    ensure: () => {
      if (
        closed ||
        client !== undefined ||
        connecting ||
        Date.now() - lastAttempt < retryMs
      ) {
        return;
      }
      void connect();
    },
    listening: () => client !== undefined,
    close: async () => {
      closed = true;
      const held = client;
      if (held !== undefined) {
        client = undefined;
        await held.query(`UNLISTEN ${channel}`).catch(() => undefined);
        held.release(true);
      }
    },
  };
};
