import * as E from 'fp-ts/lib/Either.js';
import { faultOf, type WsmanFault } from './fault.js';
import { commandDone, ns } from './namespaces.js';
import {
  childOf,
  childrenOf,
  descendantsOf,
  parseXml,
  pathOf,
  type XmlElement,
} from './xmlTree.js';

/**
 * A reply that is not what was expected: not XML, not a SOAP envelope, a
 * reply to another request, or missing a field the operation needs.
 *
 * @category model
 */
export interface MalformedReply {
  readonly _tag: 'MalformedReply';
  readonly message: string;
}

/** A parsed reply: a fault, or the envelope of a success. @category model */
export type ReplyError = WsmanFault | MalformedReply;

/** A successful reply's header fields and body. @category model */
export interface Reply {
  readonly action: string | undefined;
  readonly relatesTo: string | undefined;
  readonly body: XmlElement | undefined;
}

const malformed = (message: string): MalformedReply => ({
  _tag: 'MalformedReply',
  message,
});

/**
 * Reads a reply envelope: a fault becomes `Left(WsmanFault)`; otherwise the
 * header's Action and RelatesTo and the body. When `messageId` is given,
 * a RelatesTo naming another request is refused.
 *
 * @category utils
 */
export const readReply = (
  text: string,
  messageId?: string,
): E.Either<ReplyError, Reply> => {
  const parsed = parseXml(text);
  if (E.isLeft(parsed)) {
    return E.left(malformed(parsed.left));
  }
  const envelope = parsed.right;
  if (envelope.ns !== ns.soap || envelope.local !== 'Envelope') {
    return E.left(malformed('the reply is not a SOAP 1.2 envelope'));
  }
  const fault = faultOf(envelope);
  if (fault !== undefined) {
    return E.left(fault);
  }
  const header = childOf(envelope, ns.soap, 'Header');
  const relatesTo = childOf(header, ns.addressing, 'RelatesTo')?.text.trim();
  if (
    messageId !== undefined &&
    relatesTo !== undefined &&
    relatesTo.toLowerCase() !== messageId.toLowerCase()
  ) {
    return E.left(
      malformed(`the reply relates to ${relatesTo}, not to ${messageId}`),
    );
  }

  return E.right({
    action: childOf(header, ns.addressing, 'Action')?.text.trim(),
    relatesTo,
    body: childOf(envelope, ns.soap, 'Body'),
  });
};

/**
 * The ShellId of a CreateResponse, read from the selector (Windows 7 sends
 * only that), else from `rsp:Shell/rsp:ShellId`.
 *
 * @category utils
 */
export const shellIdOf = (reply: Reply): E.Either<MalformedReply, string> => {
  const selector = (
    reply.body === undefined
      ? []
      : descendantsOf(reply.body, ns.wsman, 'Selector')
  ).find((s) => s.attributes['Name'] === 'ShellId');
  const id =
    selector?.text.trim() ??
    pathOf(reply.body, [ns.shell, 'Shell'], [ns.shell, 'ShellId'])?.text.trim();

  return id === undefined || id === ''
    ? E.left(malformed('the CreateResponse carries no ShellId'))
    : E.right(id);
};

/** The CommandId of a CommandResponse. @category utils */
export const commandIdOf = (reply: Reply): E.Either<MalformedReply, string> => {
  const id = pathOf(
    reply.body,
    [ns.shell, 'CommandResponse'],
    [ns.shell, 'CommandId'],
  )?.text.trim();

  return id === undefined || id === ''
    ? E.left(malformed('the CommandResponse carries no CommandId'))
    : E.right(id);
};

/**
 * What one ReceiveResponse holds: the decoded bytes of each stream (chunks
 * concatenated in order), whether the command is done, and its exit code
 * when done (0 when Done carries none, as OMI sends it).
 *
 * @category model
 */
export interface ReceiveChunk {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly done: boolean;
  readonly exitCode: number | undefined;
}

const decodeBase64 = (text: string): Buffer =>
  Buffer.from(text.replace(/\s+/g, ''), 'base64');

/**
 * Reads a ReceiveResponse. Streams of other commands are ignored when
 * `commandId` is given. Exit codes are read as 32-bit signed integers.
 *
 * @category utils
 */
export const receiveChunkOf = (
  reply: Reply,
  commandId?: string,
): E.Either<MalformedReply, ReceiveChunk> => {
  const response = childOf(reply.body, ns.shell, 'ReceiveResponse');
  if (response === undefined) {
    return E.left(malformed('the reply carries no ReceiveResponse'));
  }
  const mine = (element: XmlElement): boolean => {
    const id = element.attributes['CommandId'];

    return (
      commandId === undefined ||
      id === undefined ||
      id.toLowerCase() === commandId.toLowerCase()
    );
  };
  const streams = childrenOf(response, ns.shell, 'Stream').filter(mine);
  const bytesOf = (name: string): Buffer =>
    Buffer.concat(
      streams
        .filter((s) => s.attributes['Name'] === name)
        .map((s) => decodeBase64(s.text)),
    );
  const state = childOf(response, ns.shell, 'CommandState');
  const done =
    state !== undefined &&
    (state.attributes['State'] ?? '').trim() === commandDone;
  const exitText = childOf(state, ns.shell, 'ExitCode')?.text.trim();
  const exitCode =
    exitText !== undefined && /^-?\d+$/.test(exitText)
      ? Number(BigInt.asIntN(32, BigInt(exitText)))
      : done
        ? 0
        : undefined;

  return E.right({
    stdout: bytesOf('stdout'),
    stderr: bytesOf('stderr'),
    done,
    exitCode,
  });
};
