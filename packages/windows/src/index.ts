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
} from './bootstrap.js';
export {
  ChangeDomainPasswordInputCodec,
  ChangeLocalPasswordInputCodec,
  EnumerateInputCodec,
  EnvelopeCodec,
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
} from './protocol.js';

export type { Envelope, OperationName, RemoteError } from './protocol.js';
