/**
 * rotor's transport over OpenSSH (ssh2): runs the Windows operations'
 * bootstrap on each machine, one verified connection per machine.
 *
 * @packageDocumentation
 */

export { createSshTransport } from './sshTransport.js';
export {
  keyTypeOfBlob,
  normalizeFingerprint,
  sha256Fingerprint,
} from './fingerprint.js';
export { knownHostKeys, knownHostsName } from './knownHosts.js';
export { hostKeyPolicy } from './hostKeyPolicy.js';
export { classifyConnectError, transportError } from './transportError.js';

export type {
  CredentialsFailure,
  CredentialsResolver,
  SshCredentials,
  SshTransportOptions,
} from './options.js';
export type { KnownHostKey } from './knownHosts.js';
export type {
  HostKeyPolicy,
  HostKeySource,
  HostKeyVerdict,
} from './hostKeyPolicy.js';
