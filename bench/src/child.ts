import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * Runs `dist/<script>.js <args>` in a fresh Node process and returns the
 * JSON object it prints on its last stdout line. Each measured side runs
 * alone in its process, so its peak RSS (`maxRSS`) is its own. With
 * `ROTOR_BENCH_PROF=<dir>` the child writes a CPU profile there.
 */
export const inChild = <T>(
  script: string,
  args: ReadonlyArray<string>,
  nodeArgs: ReadonlyArray<string> = [],
): Promise<T> =>
  new Promise((resolve, reject) => {
    const prof = process.env['ROTOR_BENCH_PROF'];
    const file = fileURLToPath(new URL(`./${script}.js`, import.meta.url));
    const child = spawn(
      process.execPath,
      [
        ...nodeArgs,
        ...(prof === undefined || prof === ''
          ? []
          : ['--cpu-prof', `--cpu-prof-dir=${prof}`]),
        file,
        ...args,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) {
        reject(new Error(`${script} ${args.join(' ')} exited with ${code}`));

        return;
      }
      try {
        resolve(JSON.parse(last) as T);
      } catch {
        reject(new Error(`${script} printed no result: ${last}`));
      }
    });
  });

/** The peak resident set of this process so far, in bytes. */
export const peakRss = (): number => process.resourceUsage().maxRSS * 1024;
