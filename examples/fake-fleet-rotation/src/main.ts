import { pathToFileURL } from 'node:url';
import { runDemo, type DemoOutcome } from './rotation.js';

/**
 * Runs the demo rotation, printing each event as it happens and a summary
 * line. Resolves to the exit code: 0 when the job finished cleanly.
 */
export const main = async (
  print: (line: string) => void = (line) => console.log(line),
): Promise<{ readonly exitCode: number; readonly outcome: DemoOutcome }> => {
  const outcome = await runDemo(print);

  return { exitCode: outcome.status === 'finished' ? 0 : 1, outcome };
};

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) {
  main().then(
    ({ exitCode }) => {
      process.exitCode = exitCode;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
