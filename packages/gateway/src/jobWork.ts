import type { RotorEvent, Uid } from '@rotor/core';

/**
 * Who holds a job's claim, and until when (epoch milliseconds).
 *
 * @category model
 */
export interface Claim {
  readonly gatewayUid: string;
  readonly processId: string;
  readonly leaseUntil: number;
}

/**
 * What a gateway process needs to know about one job: which gateway runs
 * it, whether it still has work (`open`: scheduled or reopened, not yet
 * finished), the claim on it, and the revision of its stream's last event
 * (the revision a claim is appended at).
 *
 * @category model
 */
export interface JobWork {
  readonly jobId: Uid;
  readonly gatewayUid: string | undefined;
  readonly open: boolean;
  readonly claim: Claim | undefined;
  readonly revision: number | undefined;
}

/**
 * A job nothing is known of yet.
 *
 * @category constructors
 */
export const initialJobWork = (jobId: Uid): JobWork => ({
  jobId,
  gatewayUid: undefined,
  open: false,
  claim: undefined,
  revision: undefined,
});

const sameHolder = (
  claim: Claim | undefined,
  data: { readonly processId: string; readonly gatewayUid: string },
): claim is Claim =>
  claim !== undefined &&
  claim.processId === data.processId &&
  claim.gatewayUid === data.gatewayUid;

/**
 * Folds one event of a job's stream (at `revision`) into its work state.
 * `RotationScheduled` and `JobReopened` open the job for their gateway;
 * `JobFinished` closes it and ends any claim; `JobClaimed` sets the claim
 * (whoever held it before); `JobClaimRenewed` and `JobClaimReleased` count
 * only from the process that holds the claim. Every other event only moves
 * the revision. Pure and total.
 *
 * @category reducers
 */
export const evolveJobWork = (
  work: JobWork,
  event: RotorEvent,
  revision: number,
): JobWork => {
  const next = { ...work, revision };
  if (event.type === 'RotationScheduled') {
    return work.gatewayUid === undefined
      ? { ...next, gatewayUid: event.data.gatewayUid, open: true }
      : next;
  }
  if (event.type === 'JobReopened') {
    return { ...next, gatewayUid: event.data.gatewayUid, open: true };
  }
  if (event.type === 'JobFinished') {
    return { ...next, open: false, claim: undefined };
  }
  if (event.type === 'JobClaimed') {
    const { gatewayUid, processId, leaseUntil } = event.data;

    return {
      ...next,
      claim: { gatewayUid, processId, leaseUntil: Date.parse(leaseUntil) },
    };
  }
  if (event.type === 'JobClaimRenewed' && sameHolder(work.claim, event.data)) {
    return {
      ...next,
      claim: { ...work.claim, leaseUntil: Date.parse(event.data.leaseUntil) },
    };
  }
  if (event.type === 'JobClaimReleased' && sameHolder(work.claim, event.data)) {
    return { ...next, claim: undefined };
  }

  return next;
};

/**
 * Whether a claim is live at `now` (epoch milliseconds): its lease has not
 * run out. An unparsable lease counts as run out.
 *
 * @category utils
 */
export const isLive = (claim: Claim | undefined, now: number): boolean =>
  claim !== undefined && Number.isFinite(claim.leaseUntil)
    ? claim.leaseUntil > now
    : false;

/**
 * Whether a process of `gatewayUid` may claim the job at `now`: it is open,
 * scheduled for that gateway, and no live claim holds it.
 *
 * @category utils
 */
export const isClaimable = (
  work: JobWork,
  gatewayUid: string,
  now: number,
): boolean =>
  work.open && work.gatewayUid === gatewayUid && !isLive(work.claim, now);
