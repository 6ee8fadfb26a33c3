import { randomUUID } from 'node:crypto';
import { xmlText } from './xml.js';

/** Namespace URIs the simulated WinRM server reads and writes. @category testing */
export const uris = {
  s: 'http://www.w3.org/2003/05/soap-envelope',
  a: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  w: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  p: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  x: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  rsp: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  f: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
} as const;

const declarations = (['s', 'a', 'w', 'p', 'x', 'rsp'] as const)
  .map((prefix) => `xmlns:${prefix}="${uris[prefix]}"`)
  .join(' ');

/**
 * A reply envelope as Windows writes it: Action, a fresh MessageID, To the
 * anonymous role, and RelatesTo the request's MessageID.
 *
 * @category testing
 */
export const replyEnvelope = (
  action: string,
  relatesTo: string | undefined,
  body: string,
): string =>
  `<s:Envelope ${declarations} xml:lang="en-US"><s:Header>` +
  `<a:Action>${xmlText(action)}</a:Action>` +
  `<a:MessageID>uuid:${randomUUID().toUpperCase()}</a:MessageID>` +
  '<a:To>http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</a:To>' +
  (relatesTo !== undefined
    ? `<a:RelatesTo>${xmlText(relatesTo)}</a:RelatesTo>`
    : '') +
  `</s:Header><s:Body>${body}</s:Body></s:Envelope>`;

/**
 * A fault the simulated server answers (with HTTP 500): SOAP code and
 * subcode (qualified), WS-Man code, and the message Windows gives.
 *
 * @category testing
 */
export interface SimFault {
  readonly code: 's:Sender' | 's:Receiver';
  readonly subcode: string;
  readonly wsmanCode: number;
  readonly message: string;
  readonly action?: string;
}

const wsmanFaultAction = 'http://schemas.dmtf.org/wbem/wsman/1/wsman/fault';

/** The faults the simulated server answers, worded as Windows does. @category testing */
export const simFaults = {
  timedOut: {
    code: 's:Receiver',
    subcode: 'w:TimedOut',
    wsmanCode: 2150858793,
    message:
      'The WS-Management service cannot complete the operation within the ' +
      'time specified in OperationTimeout.',
  },
  invalidHeader: {
    code: 's:Sender',
    subcode: 'a:InvalidMessageInformationHeader',
    wsmanCode: 2150858767,
    message:
      'The WS-Management service cannot process the request. The request ' +
      'contains one or more invalid SOAP headers.',
    action: 'http://schemas.xmlsoap.org/ws/2004/08/addressing/fault',
  },
  shellNotFound: {
    code: 's:Sender',
    subcode: 'w:InvalidSelectors',
    wsmanCode: 2150858843,
    message:
      'The request for the Windows Remote Shell with ShellId failed because ' +
      'the shell was not found on the server. Possible causes are: the ' +
      'specified ShellId is incorrect or the shell no longer exists on the ' +
      'server. Provide the correct ShellId or create a new shell and retry ' +
      'the operation.',
  },
  quotaLimit: {
    code: 's:Sender',
    subcode: 'w:QuotaLimit',
    wsmanCode: 2150859173,
    message:
      'The WS-Management service cannot process the request. The maximum ' +
      'number of concurrent shells for this user has been exceeded. Close ' +
      'existing shells or raise the quota for this user.',
  },
  schemaValidation: {
    code: 's:Sender',
    subcode: 'w:SchemaValidationError',
    wsmanCode: 2150858817,
    message:
      'The SOAP XML in the message does not match the corresponding XML ' +
      'schema definition. Change the XML and retry.',
  },
  // The code of ActionNotSupported is not taken from a capture (unverified).
  actionNotSupported: {
    code: 's:Sender',
    subcode: 'a:ActionNotSupported',
    wsmanCode: 2150858754,
    message:
      'The action is not supported by the service. (Simulated: only the ' +
      'cmd shell operations are served.)',
    action: 'http://schemas.xmlsoap.org/ws/2004/08/addressing/fault',
  },
} satisfies Record<string, SimFault>;

/** A fault envelope. @category testing */
export const faultEnvelope = (
  fault: SimFault,
  relatesTo: string | undefined,
  machine: string,
): string =>
  replyEnvelope(
    fault.action ?? wsmanFaultAction,
    relatesTo,
    '<s:Fault><s:Code><s:Value>' +
      fault.code +
      '</s:Value><s:Subcode><s:Value>' +
      fault.subcode +
      '</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang="en-US">' +
      xmlText(fault.message) +
      '</s:Text></s:Reason><s:Detail>' +
      `<f:WSManFault xmlns:f="${uris.f}" Code="${fault.wsmanCode}" ` +
      `Machine="${xmlText(machine)}"><f:Message>${xmlText(fault.message)}` +
      '</f:Message></f:WSManFault></s:Detail></s:Fault>',
  );

/**
 * Milliseconds of an xs:duration such as `PT20S`, `PT20.000S` or `PT1M30S`;
 * `undefined` when it is not one.
 *
 * @category testing
 */
export const durationMs = (text: string): number | undefined => {
  const m =
    /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text.trim(),
    );
  if (m === null || text.trim() === 'P' || text.trim().endsWith('T')) {
    return undefined;
  }
  const [, d, h, min, s] = m;

  return Math.round(
    ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(min ?? 0)) * 60_000 +
      Number(s ?? 0) * 1000,
  );
};
