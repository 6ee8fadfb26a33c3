import type { TransportError } from '@rotor/core';
import { childOf, descendantsOf, pathOf, type XmlElement } from './xmlTree.js';
import { ns } from './namespaces.js';

/**
 * A SOAP fault as WinRM returns it (HTTP 500, or 400 for some): the SOAP
 * code and subcode (local names, e.g. `Receiver` and `TimedOut`), the
 * reason text, and the numeric WS-Man code from `f:WSManFault Code=` (or a
 * WMI `error_Code`), with a short reason of ours.
 *
 * @category model
 */
export interface WsmanFault {
  readonly _tag: 'WsmanFault';
  readonly code: string;
  readonly subcode: string | undefined;
  readonly reason: string | undefined;
  /** The WS-Man code, decimal (e.g. 2150858793 for `w:TimedOut`). */
  readonly wsmanCode: number | undefined;
  readonly wmiCode: number | undefined;
  /** Our short reason: "operation timed out", "quota exceeded", … */
  readonly summary: string;
}

/** WS-Man codes the transport acts on. @category model */
export const wsmanCodes = {
  timedOut: 2150858793,
  shellNotFound: 2150858843,
  schemaValidation: 2150858817,
  invalidHeader: 2150858767,
  cannotProcessFilter: 2150858778,
  quotaLimit: 2150859173,
  commandLineTooLong: 2147942606,
  accessDenied: 2147942405,
} as const;

const byCode = new Map<number, string>([
  [wsmanCodes.timedOut, 'operation timed out'],
  [wsmanCodes.shellNotFound, 'shell not found'],
  [wsmanCodes.schemaValidation, 'invalid request (schema validation)'],
  [wsmanCodes.invalidHeader, 'invalid header'],
  [wsmanCodes.cannotProcessFilter, 'cannot process filter'],
  [wsmanCodes.quotaLimit, 'quota exceeded'],
  [wsmanCodes.commandLineTooLong, 'command line too long'],
  [wsmanCodes.accessDenied, 'access denied'],
]);

const bySubcode = new Map<string, string>([
  ['TimedOut', 'operation timed out'],
  ['QuotaLimit', 'quota exceeded'],
  ['AccessDenied', 'access denied'],
  ['InvalidMessageInformationHeader', 'invalid header'],
  ['InvalidHeader', 'invalid header'],
  ['EncodingLimit', 'envelope too large'],
  ['SchemaValidationError', 'invalid request (schema validation)'],
  ['InvalidSelectors', 'invalid selectors'],
  ['MustUnderstand', 'header not understood'],
  ['InternalError', 'internal error'],
  ['CannotProcessFilter', 'cannot process filter'],
  ['DestinationUnreachable', 'destination unreachable'],
  ['ActionNotSupported', 'action not supported'],
]);

const localOf = (qname: string | undefined): string | undefined =>
  qname === undefined ? undefined : qname.slice(qname.indexOf(':') + 1);

const numberOf = (text: string | undefined): number | undefined => {
  if (text === undefined || !/^\s*-?\d+\s*$/.test(text)) {
    return undefined;
  }

  return Number(text.trim());
};

/**
 * The fault in a SOAP envelope, or `undefined` when its body holds none.
 *
 * @category utils
 */
export const faultOf = (envelope: XmlElement): WsmanFault | undefined => {
  const fault = pathOf(envelope, [ns.soap, 'Body'], [ns.soap, 'Fault']);
  if (fault === undefined) {
    return undefined;
  }
  const codeElement = childOf(fault, ns.soap, 'Code');
  const code =
    localOf(childOf(codeElement, ns.soap, 'Value')?.text.trim()) ?? 'Receiver';
  const subcode = localOf(
    pathOf(codeElement, [ns.soap, 'Subcode'], [ns.soap, 'Value'])?.text.trim(),
  );
  const reasonText = pathOf(
    fault,
    [ns.soap, 'Reason'],
    [ns.soap, 'Text'],
  )?.text.trim();
  const detail = childOf(fault, ns.soap, 'Detail');
  const wsmanFault =
    detail === undefined
      ? undefined
      : descendantsOf(detail, ns.wsmanFault, 'WSManFault')[0];
  const wmi =
    detail === undefined
      ? undefined
      : descendantsOf(detail, ns.wmiError, 'error_Code')[0];
  const message = wsmanFault
    ? descendantsOf(wsmanFault, ns.wsmanFault, 'Message')[0]?.text.trim()
    : undefined;
  const wsmanCode = numberOf(wsmanFault?.attributes['Code']);
  const wmiCode = numberOf(wmi?.text);
  const reason =
    reasonText !== undefined && reasonText !== ''
      ? reasonText
      : message !== undefined && message !== ''
        ? message
        : undefined;
  const summary =
    (wsmanCode !== undefined ? byCode.get(wsmanCode) : undefined) ??
    (wmiCode !== undefined ? byCode.get(wmiCode) : undefined) ??
    (subcode !== undefined ? bySubcode.get(subcode) : undefined) ??
    bySubcode.get(code) ??
    (code === 'Sender' ? 'request refused' : 'server fault');

  return {
    _tag: 'WsmanFault',
    code,
    subcode,
    reason,
    wsmanCode,
    wmiCode,
    summary,
  };
};

/** Whether a fault is `w:TimedOut` (poll again on Receive). @category utils */
export const isTimedOut = (fault: WsmanFault): boolean =>
  fault.wsmanCode === wsmanCodes.timedOut ||
  (fault.wsmanCode === undefined && fault.subcode === 'TimedOut');

/** Whether a fault says the shell is gone. @category utils */
export const isShellGone = (fault: WsmanFault): boolean =>
  fault.wsmanCode === wsmanCodes.shellNotFound;

/**
 * How the engine should read a fault: its TransportError code and whether
 * a retry may succeed. Quota, time-outs, a lost shell and faults of the
 * receiver are transient; refused access, malformed requests, an envelope
 * over the limit and a command line too long are permanent.
 *
 * @category utils
 */
export const classifyFault = (
  fault: WsmanFault,
): { readonly code: TransportError['code']; readonly transient: boolean } => {
  const code = fault.wsmanCode ?? fault.wmiCode;
  const summary = fault.summary;
  if (summary === 'access denied') {
    return { code: 'LogonRefused', transient: false };
  }
  if (summary === 'operation timed out') {
    return { code: 'Timeout', transient: true };
  }
  if (summary === 'quota exceeded' || code === wsmanCodes.shellNotFound) {
    return { code: 'CommandRefused', transient: true };
  }
  if (summary === 'envelope too large') {
    return { code: 'OutputTooLarge', transient: false };
  }
  if (summary === 'command line too long') {
    return { code: 'CommandRefused', transient: false };
  }
  if (
    fault.code === 'Sender' ||
    fault.code === 'MustUnderstand' ||
    fault.code === 'VersionMismatch'
  ) {
    return { code: 'ProtocolError', transient: false };
  }

  return { code: 'ProtocolError', transient: true };
};

/**
 * One line describing a fault for an error message: our summary, the
 * WS-Man code, and the server's reason.
 *
 * @category utils
 */
export const describeFault = (fault: WsmanFault): string => {
  const code = fault.wsmanCode ?? fault.wmiCode;
  const parts = [
    fault.summary,
    code !== undefined ? `(WS-Man code ${code})` : undefined,
    fault.reason !== undefined ? `: ${fault.reason}` : undefined,
  ];

  return parts
    .filter((p) => p !== undefined)
    .join(' ')
    .replace(' :', ':');
};
