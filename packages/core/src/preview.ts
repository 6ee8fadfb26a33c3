import * as E from 'fp-ts/lib/Either.js';
import { asyncScheduler } from 'rxjs';
import { machineIn, userIn } from './engineContext.js';
import {
  defaultParallel,
  defaultRetry,
  defaultStepTimeoutMs,
} from './engineDeps.js';
import type { RetryPolicy } from './engineStep.js';
import { surveyTargets } from './engineSurvey.js';
import type { JobEvent, JobOptions, Target } from './events.js';
import type { Failure } from './failure.js';
import { foldJob } from './jobStateEvolve.js';
import { planMachine, targetsOf } from './plan.js';
import type { MachineAction } from './planAction.js';
import type { HostOperations, HostSnapshot, Logger } from './ports.js';
import { silentLogger } from './ports.js';
import type { Inventory } from './records.js';
import type { Uid } from './uid.js';

/** What {@link previewRotation} reads. @category model */
export interface PreviewDeps {
  readonly host: HostOperations;
  readonly inventory: Inventory;
  readonly parallel?: number;
  readonly stepTimeoutMs?: number;
  readonly retry?: RetryPolicy;
  readonly logger?: Logger;
}

/** The rotation to preview, as `RotationScheduled` would carry it. */
export interface PreviewSpec {
  readonly gatewayUid: Uid;
  readonly userUid: Uid;
  readonly targets: ReadonlyArray<Target>;
  readonly options: JobOptions;
}

/**
 * One machine of a preview: what it holds now (or why it could not be
 * read), and the actions a rotation would carry out on it, in order.
 *
 * @category model
 */
export interface PreviewedMachine {
  readonly machineUid: Uid;
  readonly snapshot?: HostSnapshot;
  readonly failure?: Failure;
  readonly actions: ReadonlyArray<MachineAction>;
}

/** What a dry run found. @category model */
export interface RotationPreview {
  readonly userUid: Uid;
  readonly options: JobOptions;
  readonly machines: ReadonlyArray<PreviewedMachine>;
}

// The uid of the job a preview pretends to run; never written anywhere.
const previewJob = 'AAAAAAAAAAAAAAAAAAAAAA' as Uid;

/**
 * A dry run: enumerates every target (read-only) and plans the rotation
 * over what it found, with the planner a real job uses, so the preview
 * lists exactly the credentials a rotation would set and the services it
 * would restart (or skip, and why). Nothing is changed and nothing is
 * recorded: the account, the secret store and the event store are not
 * touched.
 *
 * @category effects
 */
export const previewRotation = async (
  deps: PreviewDeps,
  spec: PreviewSpec,
): Promise<RotationPreview> => {
  const targets = targetsOf(spec.targets);
  const user = userIn(deps.inventory)(spec.userUid);
  const at = new Date(0).toISOString();
  const surveyed =
    user === undefined
      ? targets.map((t) => ({
          machineUid: t.machineUid,
          outcome: E.left<Failure, HostSnapshot>({
            code: 'UnknownUser',
            message: 'user is not in the inventory',
            transient: false,
          }),
        }))
      : await surveyTargets(
          {
            host: deps.host,
            machine: machineIn(deps.inventory),
            parallel: deps.parallel ?? defaultParallel,
            step: {
              timeoutMs: deps.stepTimeoutMs ?? defaultStepTimeoutMs,
              retry: deps.retry ?? defaultRetry,
              scheduler: asyncScheduler,
              logger: deps.logger ?? silentLogger,
            },
          },
          user,
          targets,
        );
  const base = { jobId: previewJob, at };
  const events: JobEvent[] = [
    {
      type: 'RotationScheduled',
      data: { ...base, ...spec, targets: [...targets], by: 'preview' },
    },
    {
      type: 'PasswordChanged',
      data: {
        ...base,
        secretVersion: 0,
        by: spec.options.external ? 'external' : 'engine',
      },
    },
    ...surveyed.map((s): JobEvent =>
      E.isRight(s.outcome)
        ? {
            type: 'DependentsFound',
            data: {
              ...base,
              machineUid: s.machineUid,
              host: s.outcome.right.host,
              dependents: [...s.outcome.right.dependents],
            },
          }
        : {
            type: 'MachineFailed',
            data: {
              ...base,
              machineUid: s.machineUid,
              step: 'enumerate',
              error: s.outcome.left,
            },
          },
    ),
  ];
  const state = foldJob(events);

  return {
    userUid: spec.userUid,
    options: spec.options,
    machines: surveyed.map((s) => ({
      machineUid: s.machineUid,
      ...(E.isRight(s.outcome)
        ? { snapshot: s.outcome.right }
        : { failure: s.outcome.left }),
      actions: planMachine(state, s.machineUid),
    })),
  };
};
