/** @packageDocumentation */

// SSH (helper E): simulated hosts over ssh2 and Debian's OpenSSH.
export {
  answerCommandLine,
  maxCommandLineLength,
  refusalOf,
  runBootstrap,
} from './ssh/commandShell.js';
export {
  describeKey,
  fingerprintOfBlob,
  generateTestKey,
  parseSshKey,
} from './ssh/hostKey.js';
export { startSimSshServer } from './ssh/simSshServer.js';
export { findSshd, startOpenSsh } from './ssh/openssh.js';
export { openSshMissing, openSshReady } from './ssh/openSshReady.js';
export { handlerOf } from './ssh/simBackend.js';
export type { SimHandler, SimRequest } from './ssh/commandShell.js';
export type { TestHostKey } from './ssh/hostKey.js';
export type { SimBackend } from './ssh/simBackend.js';
export type {
  SimSshServer,
  SimSshServerOptions,
  SimSshUser,
} from './ssh/simSshServer.js';
export type { OpenSshOptions, OpenSshServer } from './ssh/openssh.js';
// end SSH (helper E)

// WinRM (helper G): a WS-Management server over HTTPS fronting simulated hosts.
export { startSimWinrmServer } from './winrm/simWinrmServer.js';
export {
  fingerprintOfPem,
  generateTestCertificate,
} from './winrm/certificate.js';
export { pywinrmReady, runPywinrm } from './winrm/pywinrm.js';
export type {
  SimWinrmServer,
  SimWinrmServerOptions,
  SimWinrmUser,
} from './winrm/simWinrmServer.js';
export type { SimWinrmStats } from './winrm/simShells.js';
export type { TestCertificate } from './winrm/certificate.js';
export type { PywinrmResult, PywinrmRun } from './winrm/pywinrm.js';
// end WinRM (helper G)

// The event-store contract suite imports vitest: it is published apart,
// as `@rotor/testkit/contract`, so that importing the testkit needs no
// test runner.

// Simulated Windows (helper D): domain, hosts, operations, fake transport.
export { AccountBook } from './sim/accountBook.js';
export { builtinAccountOf, resolveAccount } from './sim/accountName.js';
export {
  changeDomainPassword,
  changeLocalPassword,
  testLogon,
} from './sim/accountOperations.js';
export { demoFleet, demoFleetSpec, demoPasswords } from './sim/demoFleet.js';
export { enumerateRaw, printList } from './sim/enumerate.js';
export { executeOnSimHost, simScript } from './sim/executeOnSimHost.js';
export { noFaults } from './sim/faultPlan.js';
export { buildFleet } from './sim/fleet.js';
export { restartService } from './sim/restartService.js';
export {
  activeDependentsOf,
  setServiceCredential,
  settleService,
  startService,
  stopService,
} from './sim/serviceControl.js';
export { SimDomain } from './sim/simDomain.js';
export { SimHost } from './sim/simHost.js';
export { createSimTransport } from './sim/simTransport.js';
export { ps51Quirks } from './sim/simTypes.js';
export { integrityOf, printSimRun } from './sim/simOutput.js';
export {
  poolMissing,
  recycleAppPool,
  setAppPoolCredential,
  setTaskCredential,
} from './sim/taskAndPool.js';
export {
  comError,
  hresultOf,
  scriptError,
  winError,
  winErrorName,
  winErrors,
} from './sim/windowsErrors.js';
export { operations } from './sim/operations.js';
export type { SimAccount, SimAccountSpec } from './sim/accountBook.js';
export type { NameContext, ResolvedAccount } from './sim/accountName.js';
export type {
  FailingStep,
  FaultPlan,
  TransientFault,
} from './sim/faultPlan.js';
export type {
  Fleet,
  FleetHostSpec,
  FleetSpec,
  FleetUserSpec,
} from './sim/fleet.js';
export type { SimDomainSpec } from './sim/simDomain.js';
export type { SimHostSpec } from './sim/simHost.js';
export type {
  ReceivedCommand,
  SimTransport,
  SimTransportOptions,
} from './sim/simTransport.js';
export type {
  JournalEntry,
  PsQuirks,
  SimAppPool,
  SimAppPoolSpec,
  SimCounters,
  SimEventLogEntry,
  SimService,
  SimServiceSpec,
  SimTask,
  SimTaskSpec,
} from './sim/simTypes.js';
export type { Handler, SimStage } from './sim/handler.js';
export type { SimRun } from './sim/simOutput.js';
export type { WinError, WinErrorName } from './sim/windowsErrors.js';
export {
  builtinAccountArb,
  gmsaAccountArb,
  randomCaseArb,
  samArb,
  virtualAccountArb,
  writtenFormArb,
  writtenFormsOf,
} from './arbitraries/accounts.js';
export { faultPlanArb } from './arbitraries/faults.js';
export {
  fleetSpecArb,
  generatedDomain,
  rotatedUserKey,
} from './arbitraries/fleets.js';
export { kindsArb, mappingsArb, targetsOf } from './arbitraries/mappings.js';
export {
  passwordArb,
  passwordCharArb,
  passwordPairArb,
} from './arbitraries/passwords.js';
export type { AccountNaming } from './arbitraries/accounts.js';
export type { FaultPlanArbOptions } from './arbitraries/faults.js';
export type { FleetArbOptions } from './arbitraries/fleets.js';
export type { MappingSpec } from './arbitraries/mappings.js';
// end simulated Windows (helper D)

// PostgreSQL (helper H): a throw-away cluster for tests.
export { findPostgresBin } from './postgres/findPostgres.js';
export { startThrowawayPostgres } from './postgres/throwawayPostgres.js';
export { testPostgres } from './postgres/testPostgres.js';
export { postgresReady } from './postgres/postgresReady.js';
export type {
  ThrowawayPostgres,
  ThrowawayPostgresOptions,
} from './postgres/throwawayPostgres.js';
export type { TestPostgres } from './postgres/testPostgres.js';
// end PostgreSQL (helper H)

// Samba AD DC (helper M): a throw-away Active Directory for tests.
export { findSambaPrograms, sambaSkipReason } from './samba/sambaPrograms.js';
export {
  defaultTestPolicy,
  startThrowawaySamba,
} from './samba/throwawaySamba.js';
export { ldapBindSync } from './samba/ldapBindSync.js';
export { runProgram } from './samba/runProgram.js';
export { logonErrorOfRefusal, sambaDirectory } from './samba/sambaDirectory.js';
export type { SambaPrograms } from './samba/sambaPrograms.js';
export type {
  ThrowawaySamba,
  ThrowawaySambaOptions,
} from './samba/throwawaySamba.js';
export type { BindRefusal, LdapBindTarget } from './samba/ldapBindSync.js';
export type { ProgramResult, RunProgramOptions } from './samba/runProgram.js';
export type { SambaPasswordPolicy, SambaTool } from './samba/sambaTool.js';
export type { DirectoryBackend } from './sim/directoryBackend.js';
export { registerKerberosService } from './samba/kerberosService.js';
export type { SambaKerberosService } from './samba/kerberosService.js';
export { acceptKerberos } from './winrm/kerberosAcceptor.js';
export type {
  AcceptedKerberos,
  SimKerberosService,
} from './winrm/kerberosAcceptor.js';
// end Samba AD DC (helper M)
