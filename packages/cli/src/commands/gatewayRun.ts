import type { Command } from 'commander';
import type { LogAttributes, Logger } from '@rotor/core';
import { createGatewayProcess } from '@rotor/gateway';
import { CliError, type Output } from '../output.js';
import {
  requireInventory,
  resolveGateway,
  type GlobalOptions,
} from '../runtime.js';
import { openSecrets } from '../secrets.js';
import { buildEngine, seedSecrets } from '../wiring.js';
import { gateOf, gateOptions } from './rotate.js';
import { withGatewayStore } from './gatewayStore.js';

/** How `gateway run` was asked to run. */
interface RunGatewayOptions {
  readonly gateway: string;
  readonly lease: number;
  readonly heartbeat: number;
  readonly poll: number;
  readonly maxJobs: number;
  readonly parallel?: number;
  readonly drain: number;
  readonly processId?: string;
  readonly verbose?: boolean;
  readonly logonBudget?: number;
  readonly lockoutThreshold?: number;
}

const positiveNumber = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) {
    throw new CliError(`${name} must be a number above 0`);
  }

  return n;
};

// Log records as one line each on stderr: the record's name and its
// attributes, which hold identifiers and counters only.
const stderrLogger = (verbose: boolean): Logger => {
  const line =
    (level: string) =>
    (name: string, attributes: LogAttributes = {}) => {
      const attrs = Object.entries(attributes)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k}=${String(v)}`)
        .join(' ');
      console.error(
        `${new Date().toISOString()} ${level} ${name}${attrs === '' ? '' : ` ${attrs}`}`,
      );
    };

  return {
    debug: verbose ? line('debug') : () => undefined,
    info: line('info'),
    warn: line('warn'),
    error: line('error'),
  };
};

/** Runs a gateway process until SIGINT or SIGTERM. */
const runGateway = async (
  opts: GlobalOptions,
  o: RunGatewayOptions,
  out: Output,
): Promise<void> => {
  const inv = requireInventory(opts);
  const gateway = resolveGateway(inv, o.gateway);
  const logger = stderrLogger(o.verbose === true);
  await withGatewayStore(opts, async (store) => {
    const secrets = await openSecrets(opts);
    await seedSecrets(inv, secrets);
    const gate = gateOf(o);
    const gw = createGatewayProcess({
      gatewayUid: gateway.uid,
      store,
      engine: (view) =>
        buildEngine({
          inv,
          store: view,
          secrets,
          gate,
          ...(o.parallel === undefined ? {} : { parallel: o.parallel }),
        }),
      leaseMs: o.lease * 1_000,
      heartbeatMs: o.heartbeat * 1_000,
      pollMs: o.poll,
      maxJobs: o.maxJobs,
      drainMs: o.drain * 1_000,
      logger,
      ...(o.processId === undefined ? {} : { processId: o.processId }),
    });
    gw.reports.subscribe((r) => {
      out.line(`job ${r.jobId}: ${r._tag}`);
    });
    const stopped = new Promise<void>((resolve) => {
      const onSignal = (signal: NodeJS.Signals) => {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        out.line(`${signal}: stopping (running jobs get ${o.drain} s)`);
        void gw.stop().then(resolve);
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    });
    await gw.start();
    out.line(
      `gateway ${gateway.name} (${gateway.uid}): process ${gw.processId} (pid ${process.pid}) running; SIGINT or SIGTERM stops it`,
    );
    await stopped;
    out.line(`gateway ${gateway.name}: process ${gw.processId} stopped`);
  });
};

/** `rotor gateway run -g <gateway>`, under the `gateway` command. */
export const gatewayRunCommand = (
  gateway: Command,
  global: () => GlobalOptions,
  out: Output,
): void => {
  gateOptions(
    gateway
      .command('run')
      .description(
        "run a gateway process in the foreground: it claims and runs the gateway's jobs, and takes over those whose process died",
      )
      .requiredOption('-g, --gateway <gateway>', 'the gateway (uid or name)')
      .option(
        '--lease <seconds>',
        'how long a claim holds a job without renewal',
        positiveNumber('--lease'),
        30,
      )
      .option(
        '--heartbeat <seconds>',
        'how often the process records that it is alive',
        positiveNumber('--heartbeat'),
        10,
      )
      .option(
        '--poll <ms>',
        'how often claimable jobs are looked for',
        positiveNumber('--poll'),
        1_000,
      )
      .option(
        '--max-jobs <n>',
        'jobs run at once',
        positiveNumber('--max-jobs'),
        4,
      )
      .option(
        '--drain <seconds>',
        'on SIGINT/SIGTERM, how long running jobs may finish before they are released',
        positiveNumber('--drain'),
        30,
      )
      .option(
        '--parallel <n>',
        'machines worked on at once per job (default 16)',
        positiveNumber('--parallel'),
      )
      .option('--process-id <id>', 'this process id (default host:pid:random)')
      .option('--verbose', 'log debug records too'),
  ).action((o: RunGatewayOptions) => runGateway(global(), o, out));
};
