import type { TransportError } from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { newMessageId, requestEnvelope } from './envelope.js';
import { classifyFault, describeFault, type WsmanFault } from './fault.js';
import type { HttpEndpoint } from './httpEndpoint.js';
import { readReply, type Reply } from './responses.js';
import { transportError } from './transportError.js';

/** Why a call failed: the transport, or a SOAP fault. @category model */
export type CallError = TransportError | WsmanFault;

/** One WS-Management call. @category model */
export interface Call {
  readonly action: string;
  readonly body: string;
  readonly shellId?: string;
  readonly options?: Readonly<Record<string, string>>;
  readonly operationTimeoutMs: number;
}

/**
 * Sends SOAP requests to one endpoint and reads the replies: a fault (on
 * any status) is `Left(WsmanFault)`, anything unreadable a `ProtocolError`.
 *
 * @category model
 */
export interface WsmanClient {
  readonly call: (call: Call) => Promise<E.Either<CallError, Reply>>;
}

/** What a client needs besides the endpoint. @category model */
export interface WsmanClientSettings {
  readonly machineUid: string;
  readonly to: string;
  readonly maxEnvelopeSize: number;
  readonly readMarginMs: number;
}

/** A client over an endpoint. @category constructors */
export const wsmanClient = (
  endpoint: HttpEndpoint,
  settings: WsmanClientSettings,
): WsmanClient => ({
  call: async (call) => {
    const messageId = newMessageId();
    const envelope = requestEnvelope(
      {
        action: call.action,
        to: settings.to,
        messageId,
        ...(call.shellId !== undefined ? { shellId: call.shellId } : {}),
        ...(call.options !== undefined ? { options: call.options } : {}),
        operationTimeoutMs: call.operationTimeoutMs,
        maxEnvelopeSize: settings.maxEnvelopeSize,
      },
      call.body,
    );
    const sent = await endpoint.post(
      envelope,
      call.operationTimeoutMs + settings.readMarginMs,
    );
    if (E.isLeft(sent)) {
      return sent;
    }
    const { status, body } = sent.right;
    const reply = readReply(body, messageId);
    if (E.isLeft(reply)) {
      return reply.left._tag === 'WsmanFault'
        ? E.left(reply.left)
        : E.left(
            transportError(
              'ProtocolError',
              settings.machineUid,
              `HTTP ${status} to ${actionName(call.action)}: ${reply.left.message}`,
              status >= 500,
            ),
          );
    }
    if (status < 200 || status > 299) {
      return E.left(
        transportError(
          'ProtocolError',
          settings.machineUid,
          `HTTP ${status} to ${actionName(call.action)} without a SOAP fault`,
          status >= 500,
        ),
      );
    }

    return E.right(reply.right);
  },
});

/** The last segment of an action URI, for messages. @category utils */
export const actionName = (action: string): string =>
  action.slice(action.lastIndexOf('/') + 1);

/**
 * A fault as the engine sees it: a TransportError with our summary, the
 * WS-Man code and the server's reason, classified transient or permanent.
 *
 * @category utils
 */
export const faultError = (
  machineUid: string,
  action: string,
  fault: WsmanFault,
): TransportError => {
  const { code, transient } = classifyFault(fault);

  return transportError(
    code,
    machineUid,
    `${actionName(action)} failed: ${describeFault(fault)}`,
    transient,
  );
};

/** A call error as a TransportError. @category utils */
export const asTransportError = (
  machineUid: string,
  action: string,
  error: CallError,
): TransportError =>
  error._tag === 'WsmanFault' ? faultError(machineUid, action, error) : error;
