import { pathToFileURL } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Secret, type LogAttributes, type Logger } from '@rotor/core';
import { demoPasswords } from '@rotor/testkit';
import { rotateEverywhere } from './gateway.js';
import { startSimulatedFleet } from './simulatedFleet.js';

/** A line the application's own logger wrote. */
export interface LogLine {
  readonly level: string;
  readonly name: string;
  readonly attributes: LogAttributes;
}

/** rotor's Logger port over the application's logger (here: an array). */
export const appLogger = (lines: LogLine[]): Logger => {
  const at =
    (level: string) =>
    (name: string, attributes: LogAttributes = {}) => {
      lines.push({ level, name, attributes });
    };

  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
};

/**
 * Serves the demo fleet (APP01 over SSH, WEB01 over WinRM), rotates
 * `CONTOSO\svc-app` on both through the custom gateway with a SQLite store
 * in a temporary directory, and stops everything it started.
 */
export const main = async (lines: LogLine[] = []) => {
  const sim = await startSimulatedFleet();
  const dir = await mkdtemp(join(tmpdir(), 'rotor-custom-gateway-'));
  try {
    const events = await rotateEverywhere(
      {
        records: sim.records,
        dbPath: join(dir, 'rotor.db'),
        passwordOf: (account) =>
          account.id === sim.records.admin.id
            ? sim.adminPassword
            : Secret.of(demoPasswords['svc-app']),
        logger: appLogger(lines),
      },
      sim.rotated,
    );

    return { events, lines, fleet: sim.fleet };
  } finally {
    await sim.stop();
    await rm(dir, { recursive: true, force: true });
  }
};

const invoked = process.argv[1];
if (invoked !== undefined && import.meta.url === pathToFileURL(invoked).href) {
  main().then(
    ({ events, lines }) => {
      for (const line of lines) {
        console.log(line.level, line.name, JSON.stringify(line.attributes));
      }
      const end = events.at(-1)?.data as { status?: string } | undefined;
      process.exitCode = end?.status === 'finished' ? 0 : 1;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
