import { spawn } from 'node:child_process';

/** What a program printed and how it ended. @category testing */
export interface ProgramResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runProgram}. @category testing */
export interface RunProgramOptions {
  /** Written to stdin, then stdin is closed (passwords go here). */
  readonly input?: string;
  /** Environment variables added to a minimal `PATH`/`LANG` one. */
  readonly env?: Readonly<Record<string, string>>;
  /** Killed (SIGKILL, by pid) after this long; 120 s by default. */
  readonly timeoutMs?: number;
}

/**
 * Runs a program in a session of its own (so it has no controlling
 * terminal and a password prompt reads stdin), never through a shell.
 * Resolves with its exit code (-1 when it could not run or was killed).
 *
 * @category testing
 */
export const runProgram = (
  file: string,
  args: ReadonlyArray<string>,
  options: RunProgramOptions = {},
): Promise<ProgramResult> =>
  new Promise((resolve) => {
    const child = spawn(file, [...args], {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
        LANG: 'C.UTF-8',
        ...options.env,
      },
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
    }, options.timeoutMs ?? 120_000);
    const finish = (code: number) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    };
    child.on('error', (e) => {
      err.push(Buffer.from(e.message));
      finish(-1);
    });
    child.on('close', (code) => finish(code ?? -1));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
