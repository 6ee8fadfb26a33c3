/**
 * rotor's gateway process: several processes of several gateways share one
 * event store. A process claims each job of its gateway by appending
 * `JobClaimed` at the job stream's expected revision (so of two racing
 * processes exactly one wins), renews the claim's lease while the engine
 * runs the job, and takes over a job whose claimant died once its lease
 * has run out. Each process records heartbeats, from which a gateway's
 * status (ONLINE with its live processes, or OFFLINE) is read.
 *
 * @packageDocumentation
 */

export {
  evolveJobWork,
  initialJobWork,
  isClaimable,
  isLive,
} from './jobWork.js';
export { readJobWork } from './readJobWork.js';
export { claimJob } from './claimJob.js';
export { runClaimedJob } from './runClaimedJob.js';
export { recordHeartbeat, recordStopped } from './heartbeat.js';
export {
  evolvePresence,
  initialPresence,
  readPresence,
  statusAt,
} from './presence.js';
export {
  createGatewayProcess,
  defaultHeartbeatMs,
  defaultLeaseMs,
} from './gatewayProcess.js';

export type { Claim, JobWork } from './jobWork.js';
export type { ReadFailed } from './readJobWork.js';
export type { ClaimError, ClaimOptions, ClaimedJob } from './claimJob.js';
export type {
  JobRun,
  JobRunOutcome,
  RunClaimedOptions,
} from './runClaimedJob.js';
export type { HeartbeatOptions } from './heartbeat.js';
export type {
  GatewayPresence,
  GatewayStatus,
  ProcessPresence,
} from './presence.js';
export type {
  GatewayJobReport,
  GatewayProcess,
  GatewayProcessOptions,
} from './gatewayProcess.js';
