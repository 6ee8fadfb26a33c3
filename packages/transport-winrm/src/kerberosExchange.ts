import type { TransportError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import type { KerberosRound } from './kerberosLogon.js';

/** What one HTTP exchange gave: its status, challenge header and socket. */
interface Sent {
  readonly reply: { readonly status: number };
  readonly header: string | undefined;
  readonly socket: unknown;
}

/**
 * Sends a request with a Kerberos round's `Authorization`, then checks the
 * answer: a 401 is a refused ticket; otherwise the server's own
 * `Negotiate` token must complete the context (mutual authentication), or
 * the connection is dropped and the logon refused.
 *
 * @category utils
 */
export const kerberosExchange = async <X extends Sent>(
  round: KerberosRound,
  send: (authorization: string) => Promise<E.Either<TransportError, X>>,
  refused: (detail: string) => TransportError,
): Promise<E.Either<TransportError, X>> => {
  const sent = await send(round.authorization);
  if (E.isLeft(sent)) {
    return sent;
  }
  if (sent.right.reply.status === 401) {
    return E.left(refused('the Kerberos ticket was rejected'));
  }
  const serverToken = /(?:^|,\s*)Negotiate\s+([A-Za-z0-9+/=]+)/.exec(
    sent.right.header ?? '',
  )?.[1];
  const mutual = await round.verify(serverToken);
  if (mutual !== undefined) {
    (sent.right.socket as { destroy?: () => void }).destroy?.();

    return E.left(refused(`mutual authentication failed: ${mutual}`));
  }

  return sent;
};
