import { spawn, spawnSync } from 'node:child_process';
import { pywinrmPeerSource } from './pywinrmPeer.js';

/** Debian's python3-winrm is importable only by the system Python. */
const python = '/usr/bin/python3';

/**
 * Whether Debian's pywinrm (`python3-winrm`) can be imported by
 * `/usr/bin/python3`.
 *
 * @category testing
 */
export const pywinrmReady = (): boolean =>
  spawnSync(python, ['-c', 'import winrm, xmltodict'], {
    stdio: 'ignore',
    timeout: 20_000,
  }).status === 0;

/** One command for pywinrm to run. @category testing */
export interface PywinrmRun {
  readonly url: string;
  readonly user: string;
  /** For `ntlm` on OpenSSL 3, the `LMHASH:NTHASH` form (MD4 is disabled). */
  readonly password: string;
  readonly transport: 'basic' | 'ntlm';
  readonly command: string;
  readonly args?: ReadonlyArray<string>;
  readonly stdin?: string;
  /** pywinrm's `operation_timeout_sec` (default 2; read time-out is 4 more). */
  readonly operationTimeoutSec?: number;
}

/** What pywinrm got back. @category testing */
export interface PywinrmResult {
  readonly stdout: Buffer;
  readonly stderr: Buffer;
  readonly exitCode: number;
}

/**
 * Runs one command through pywinrm's `Protocol` (Create with code page
 * 65001, Command, Send, Receive until done, Signal, Delete) with
 * certificate checks off, and resolves with its output; rejects with
 * Python's stderr when the client fails. Killed after `timeoutMs`.
 *
 * @category testing
 */
export const runPywinrm = (
  run: PywinrmRun,
  timeoutMs = 30_000,
): Promise<PywinrmResult> =>
  new Promise((resolve, reject) => {
    const env = { ...process.env };
    // pywinrm 0.3.0 re-enables verification when these are set (#201).
    delete env['REQUESTS_CA_BUNDLE'];
    delete env['CURL_CA_BUNDLE'];
    const child = spawn(python, ['-c', pywinrmPeerSource], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) {
        reject(
          new Error(
            `pywinrm exited ${code}: ${Buffer.concat(err).toString('utf8').slice(-2000)}`,
          ),
        );

        return;
      }
      const parsed = JSON.parse(Buffer.concat(out).toString('utf8')) as {
        stdout: string;
        stderr: string;
        exit_code: number;
      };
      resolve({
        stdout: Buffer.from(parsed.stdout, 'base64'),
        stderr: Buffer.from(parsed.stderr, 'base64'),
        exitCode: parsed.exit_code,
      });
    });
    // The spec (with the password) goes on stdin, never on a command line.
    const op = run.operationTimeoutSec ?? 2;
    child.stdin.end(
      JSON.stringify({ ...run, operation_timeout: op, read_timeout: op + 4 }),
    );
  });
