/**
 * The namespace URIs and action URIs of WS-Management's remote shell, as
 * Windows and its clients use them. Elements are always matched on these
 * URIs, never on a prefix.
 *
 * @packageDocumentation
 */

/** Namespace URIs by role. @category model */
export const ns = {
  soap: 'http://www.w3.org/2003/05/soap-envelope',
  addressing: 'http://schemas.xmlsoap.org/ws/2004/08/addressing',
  wsman: 'http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd',
  msWsman: 'http://schemas.microsoft.com/wbem/wsman/1/wsman.xsd',
  transfer: 'http://schemas.xmlsoap.org/ws/2004/09/transfer',
  shell: 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell',
  wsmanFault: 'http://schemas.microsoft.com/wbem/wsman/1/wsmanfault',
  wmiError: 'http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/MSFT_WmiError',
} as const;

const shellBase = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell';

/** The request action URIs of the cmd shell's operations. @category model */
export const actions = {
  create: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
  delete: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete',
  command: `${shellBase}/Command`,
  send: `${shellBase}/Send`,
  receive: `${shellBase}/Receive`,
  signal: `${shellBase}/Signal`,
} as const;

/** The cmd shell's resource URI. @category model */
export const cmdResourceUri = `${shellBase}/cmd`;

/** The anonymous reply-to address. @category model */
export const anonymousRole =
  'http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous';

/** The Signal code that ends a command. @category model */
export const terminateSignal = `${shellBase}/signal/terminate`;

/** The CommandState URI of a finished command. @category model */
export const commandDone = `${shellBase}/CommandState/Done`;
