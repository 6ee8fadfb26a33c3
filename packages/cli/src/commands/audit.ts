import {
  formatDecodeFailure,
  jobSummaryOf,
  readJobs,
  type EventStore,
  type JobState,
  type JobSummary,
} from '@rotor/core';
import * as E from 'fp-ts/lib/Either.js';
import { loadInventory, type LoadedInventory } from '../inventory.js';
import { CliError, exitCodes } from '../output.js';
import { userRef } from '../runtime.js';
import { formatDuration, renderTable } from '../table.js';
import { outcomesOf } from './jobInfo.js';
import { withStore, type Verb } from './verb.js';

const jobsOf = async (
  store: EventStore,
): Promise<ReadonlyArray<[JobState, JobSummary]>> => {
  const read = await readJobs(store);
  if (E.isLeft(read)) {
    throw new CliError(formatDecodeFailure(read.left), exitCodes.jobNotClean);
  }

  return [...read.right.values()].flatMap(
    (s): Array<[JobState, JobSummary]> => {
      const summary = jobSummaryOf(s);

      return summary === undefined ? [] : [[s, summary]];
    },
  );
};

const names = (inv: LoadedInventory | undefined) => ({
  user: (uid: string) => inv?.users.find((u) => u.uid === uid)?.title ?? uid,
  machine: (uid: string) =>
    inv?.machines.find((m) => m.uid === uid)?.name ?? uid,
});

const mode = (s: JobSummary): string =>
  [
    s.options.external ? 'external' : '',
    s.options.restart ? '' : 'no-restart',
    s.options.preflight === true ? 'preflight' : '',
    s.reopened > 0 ? `reopened ${s.reopened}x` : '',
  ]
    .filter((x) => x !== '')
    .join(', ');

/** `rotor jobs` and `rotor history -u <user>`. */
export const auditVerbs: Verb = (program, global, out) => {
  program
    .command('jobs')
    .description(
      'every job: status, user, start, duration and counts (oldest first)',
    )
    .option('-u, --user <user>', 'only the jobs of this user')
    .action(async (o: { user?: string }) => {
      const opts = global();
      const loaded = loadInventory(opts.inventory);
      const inv = E.isRight(loaded) ? loaded.right : undefined;
      const n = names(inv);
      const userUid =
        o.user === undefined || inv === undefined
          ? o.user
          : userRef(inv, o.user);
      await withStore(opts, async (store) => {
        const jobs = (await jobsOf(store))
          .map(([, s]) => s)
          .filter((s) => userUid === undefined || s.userUid === userUid);
        out.data({
          jobs: jobs.map((s) => ({ ...s, user: n.user(s.userUid) })),
        });
        if (jobs.length === 0) {
          out.line('No jobs.');

          return;
        }
        out.line(
          renderTable(
            [
              'Job',
              'User',
              'Status',
              'Started',
              'Duration',
              'Machines',
              'Updated',
              'Restarted',
              'Failed',
              'Mode',
            ],
            jobs.map((s) => [
              s.jobId,
              n.user(s.userUid),
              s.status,
              s.startedAt,
              s.durationMs === undefined ? '-' : formatDuration(s.durationMs),
              `${s.counts.machines - s.counts.machinesFailed}/${s.counts.machines}`,
              `${s.counts.updated}/${s.counts.dependents}`,
              String(s.counts.restarted),
              String(s.counts.failed + s.counts.machinesFailed),
              mode(s),
            ]),
          ),
        );
      });
    });

  program
    .command('history')
    .description("every rotation of a user, with each dependent's outcome")
    .requiredOption('-u, --user <user>', 'user title or uid')
    .action(async (o: { user: string }) => {
      const opts = global();
      const loaded = loadInventory(opts.inventory);
      const inv = E.isRight(loaded) ? loaded.right : undefined;
      const n = names(inv);
      const userUid = inv === undefined ? o.user : userRef(inv, o.user);
      await withStore(opts, async (store) => {
        const jobs = (await jobsOf(store)).filter(
          ([, s]) => s.userUid === userUid,
        );
        const rotations = jobs.map(([state, s]) => ({
          ...s,
          dependents: outcomesOf(state, n.machine),
        }));
        const known = inv?.users.some((u) => u.uid === userUid) ?? true;
        if (rotations.length === 0 && !known) {
          // A user neither in the inventory nor in any job is a typo.
          throw new CliError(
            `no user '${o.user}' in the inventory, and no job of that uid in ${opts.store}`,
          );
        }
        out.data({ userUid, user: n.user(userUid), rotations });
        if (rotations.length === 0) {
          out.line(`No rotations of ${n.user(userUid)}.`);

          return;
        }
        for (const r of rotations) {
          out.line(
            `${r.startedAt}  job ${r.jobId}  ${r.status}${mode(r) === '' ? '' : ` (${mode(r)})`}`,
          );
          out.line(
            renderTable(
              ['Machine', 'Kind', 'Dependent', 'Outcome'],
              r.dependents.map((d) => [d.machine, d.kind, d.name, d.outcome]),
            )
              .split('\n')
              .map((l) => `  ${l}`)
              .join('\n'),
          );
          out.line('');
        }
      });
    });
};
