/**
 * rotor's transport over WinRM (WS-Management remote shell over HTTPS,
 * Kerberos, NTLMv2 or Basic logon): runs the Windows operations' bootstrap in one
 * cmd shell per machine.
 *
 * @packageDocumentation
 */

export { createWinrmTransport } from './winrmTransport.js';
export {
  classifyFault,
  describeFault,
  faultOf,
  isShellGone,
  isTimedOut,
  wsmanCodes,
} from './fault.js';
export {
  readReply,
  receiveChunkOf,
  shellIdOf,
  commandIdOf,
} from './responses.js';
export { parseXml } from './xmlTree.js';
export {
  actions,
  cmdResourceUri,
  ns as wsmanNamespaces,
} from './namespaces.js';
export {
  certificateSha256,
  normalizeCertificateFingerprint,
  tlsPolicyOf,
} from './tlsTrust.js';
export { classifyHttpError, transportError } from './transportError.js';
export { md4 } from './md4.js';
export { ntHash, ntowfv2, channelBindingHash } from './ntlmCrypto.js';

export { kerberosPrincipalOf } from './kerberosLogon.js';
export { classifyKinitFailure } from './kinit.js';
export type { TicketFailure } from './kinit.js';
export type {
  CredentialsFailure,
  CredentialsResolver,
  KerberosSettings,
  WinrmCredentials,
  WinrmTransportOptions,
} from './options.js';
export type { WsmanFault } from './fault.js';
export type {
  MalformedReply,
  ReceiveChunk,
  Reply,
  ReplyError,
} from './responses.js';
export type { XmlElement } from './xmlTree.js';
export type { TlsPolicy } from './tlsTrust.js';
