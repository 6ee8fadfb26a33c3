/**
 * Everything rotor knows about Windows: the PowerShell operations, the
 * bootstrap that runs them, account matching and output decoders.
 *
 * @packageDocumentation
 */

export {
  asciiJson,
  bootstrapCommandLine,
  bootstrapScript,
  decodeStdin,
  encodeStdin,
  isBootstrapCommandLine,
  operationOfScript,
  randomNonce,
  scriptSha256,
} from './bootstrap.js';
export { readStdout } from './markers.js';
export {
  AuditFieldsCodec,
  ChangeDomainPasswordInputCodec,
  ChangeLocalPasswordInputCodec,
  EnumerateInputCodec,
  EnvelopeCodec,
  IntegrityFieldsCodec,
  RawAppPoolCodec,
  RawEnumerateResultCodec,
  RawRecycleResultCodec,
  RawRestartResultCodec,
  RawServiceCodec,
  RawTaskCodec,
  RecycleAppPoolInputCodec,
  RemoteErrorCodec,
  RestartServiceInputCodec,
  SetAppPoolCredentialInputCodec,
  SetServiceCredentialInputCodec,
  SetTaskCredentialInputCodec,
  TestLogonInputCodec,
  operationNames,
  stdoutMarkers,
} from './protocol.js';

export {
  classifyAccount,
  isBuiltInAccount,
  isManagedServiceAccount,
  isVirtualAccount,
  matchesAccount,
} from './account.js';
export { plainText, readStderr } from './clixml.js';
export {
  classifyLogonFailure,
  serviceReturnName,
  serviceReturnNames,
  win32CodeOf,
  win32ErrorName,
  win32ErrorNames,
} from './codes.js';
export { classifyHostError, decodeOutput } from './decode.js';
export { discoverMachine } from './discovery.js';
export { EnumerationCodec, toEnumeration } from './enumeration.js';
export { createWindowsHost } from './host.js';
export { failureOfOutput, redact } from './hostFailure.js';
export { snapshotOf, taskStoresPassword } from './snapshot.js';
export { hostAccountRotator } from './rotator.js';
export {
  inlinePrelude,
  operationScript,
  preludeSource,
  remoteCommand,
  scriptSource,
} from './scripts.js';
export {
  AppPoolStateFromWindows,
  IdentityTypeFromWindows,
  ServiceStateFromWindows,
  StartModeFromWindows,
  TaskLogonTypeFromWindows,
  TaskStateFromWindows,
  WindowsDateCodec,
  itemsOf,
  listOf,
  windowsDate,
} from './windowsValues.js';

export type {
  AuditFields,
  Envelope,
  IntegrityFields,
  OperationName,
  RemoteError,
} from './protocol.js';
export type { StdoutReport } from './markers.js';
export type { AccountClass, AccountTarget, HostNames } from './account.js';
export type { StderrReport } from './clixml.js';
export type { LogonFailureClass } from './codes.js';
export type {
  OperationOutputs,
  OutputError,
  OutputExpectation,
} from './decode.js';
export type { DiscoveryOptions } from './discovery.js';
export type { Enumeration } from './enumeration.js';
export type { WindowsHostOptions } from './host.js';
export type { OperationInputs } from './scripts.js';
