// Runs `rotor` in-process against the demo fleet served on loopback (APP01
// over SSH, WEB01 over WinRM unless told otherwise), in a temporary
// directory, capturing what it prints.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Fleet } from '@rotor/testkit';
import { vi } from 'vitest';
import {
  ensureKeyFile,
  startDemoFleet,
  writeDemoInventory,
  type DemoIntercept,
  type RunningFleet,
} from '../src/commands/demoFleet.js';
import { stderrLines } from '../src/logging.js';
import { main } from '../src/program.js';

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The JSON log lines written to stderr (not to a --log-file). */
  readonly log: string;
}

export interface CliFixture {
  readonly dir: string;
  readonly running: RunningFleet;
  readonly run: (...args: string[]) => Promise<CliRun>;
  readonly json: <T = Record<string, unknown>>(...args: string[]) => Promise<T>;
  readonly stop: () => Promise<void>;
}

/**
 * A test's intercept whose envelopes echo the request's nonce, as a real
 * host's do (W21), so that a scripted refusal reads as the host's answer.
 */
const echoingNonce =
  (intercept: DemoIntercept): DemoIntercept =>
  (computer, request) => {
    const answer = intercept(computer, request);
    if (answer === undefined || typeof answer.stdout !== 'string') {
      return answer;
    }
    try {
      const doc = JSON.parse(answer.stdout) as Record<string, unknown>;
      const input = JSON.parse(request.input) as { nonce?: unknown };
      return typeof input.nonce === 'string' && doc['nonce'] === undefined
        ? { ...answer, stdout: JSON.stringify({ ...doc, nonce: input.nonce }) }
        : answer;
    } catch {
      return answer;
    }
  };

/** Starts the fleet, writes its inventory and key, and returns a runner. */
export const startCli = async (
  options: {
    readonly fleet?: Fleet;
    readonly intercept?: DemoIntercept;
    readonly winrmHosts?: ReadonlyArray<string>;
  } = {},
): Promise<CliFixture> => {
  const dir = mkdtempSync(join(tmpdir(), 'rotor-cli-'));
  const running = await startDemoFleet(options.fleet, {
    ...(options.intercept === undefined
      ? {}
      : { intercept: echoingNonce(options.intercept) }),
    ...(options.winrmHosts === undefined
      ? {}
      : { winrmHosts: options.winrmHosts }),
  });
  const inventory = join(dir, 'rotor.yaml');
  writeDemoInventory(inventory, running);
  ensureKeyFile(join(dir, 'rotor.key'));

  const run = async (...args: string[]): Promise<CliRun> => {
    const out: string[] = [];
    const err: string[] = [];
    const log = vi
      .spyOn(console, 'log')
      .mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
    const error = vi
      .spyOn(console, 'error')
      .mockImplementation((...a: unknown[]) => void err.push(a.join(' ')));
    const logLines: string[] = [];
    const writeLog = stderrLines.write;
    stderrLines.write = (line) => void logLines.push(line);
    process.exitCode = undefined;
    try {
      await main([
        'node',
        'rotor',
        '--store',
        join(dir, 'rotor.db'),
        '--inventory',
        inventory,
        ...args,
      ]);
    } finally {
      log.mockRestore();
      error.mockRestore();
      stderrLines.write = writeLog;
    }
    const code = Number(process.exitCode ?? 0);
    process.exitCode = undefined;

    return {
      code,
      stdout: out.join('\n'),
      stderr: err.join('\n'),
      log: logLines.join(''),
    };
  };

  const json = async <T>(...args: string[]): Promise<T> => {
    const r = await run('--json', ...args);

    return JSON.parse(r.stdout) as T;
  };

  return {
    dir,
    running,
    run,
    json,
    stop: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};

/** Maps svc-app as the demo does: services on APP01, task and iis on WEB01. */
export const mapDemo = async (cli: CliFixture): Promise<void> => {
  const gw = cli.running.fleet.gateway.name;
  for (const args of [
    ['-m', 'APP01', '-t', 'service'],
    ['-m', 'WEB01', '-t', 'task', '-t', 'iis'],
  ]) {
    const r = await cli.run(
      'service',
      'add',
      '-g',
      gw,
      '-u',
      'svc-app',
      ...args,
    );
    if (r.code !== 0) {
      throw new Error(`service add failed: ${r.stderr}`);
    }
  }
};

/** A script's error envelope, as a host that refuses an operation prints. */
export const refusal = (code: number, name: string, message: string) => ({
  stdout: JSON.stringify({ ok: false, error: { code, name, message } }),
  stderr: '',
  exitCode: 1,
});
