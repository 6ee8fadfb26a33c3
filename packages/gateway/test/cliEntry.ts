// Test fixture: how a test starts `rotor` as a child process. The built CLI
// (`packages/cli/dist/bin.js`, made by `tsc -b`, which the README's test
// command runs first) starts in under a second; the TypeScript sources
// through the store-sqlite package's loader hooks take several seconds per
// process, because every module is transpiled at start-up. The build is
// used when it is newer than every source it was built from.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const packages = join(root, 'packages');

/** `node <args>` that runs the `rotor` command. */
export interface CliEntry {
  /** Node arguments before the CLI's own. */
  readonly nodeArgs: ReadonlyArray<string>;
  /** `dist` when the build runs, `source` when the sources do. */
  readonly kind: 'dist' | 'source';
}

const newestSource = (dir: string): number => {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      newest = Math.max(newest, newestSource(path));
    } else if (
      entry.name.endsWith('.ts') &&
      !entry.name.endsWith('.test.ts') &&
      !entry.name.endsWith('.d.ts')
    ) {
      newest = Math.max(newest, statSync(path).mtimeMs);
    }
  }

  return newest;
};

/**
 * Whether every workspace package's build is at least as new as its
 * sources (its `tsconfig.build.tsbuildinfo` against `src/**.ts`).
 */
const buildIsFresh = (): boolean => {
  if (!existsSync(join(packages, 'cli/dist/bin.js'))) {
    return false;
  }
  for (const name of readdirSync(packages)) {
    const src = join(packages, name, 'src');
    if (!existsSync(src)) {
      continue;
    }
    const info = join(packages, name, 'tsconfig.build.tsbuildinfo');
    if (!existsSync(info) || statSync(info).mtimeMs < newestSource(src)) {
      return false;
    }
  }

  return true;
};

const dist: CliEntry = {
  nodeArgs: [join(packages, 'cli/dist/bin.js')],
  kind: 'dist',
};

const source: CliEntry = {
  nodeArgs: [
    '--conditions=@rotor/source',
    '--import',
    pathToFileURL(
      join(packages, 'store-sqlite/test/fixtures/registerTsHooks.mjs'),
    ).href,
    join(packages, 'cli/src/bin.ts'),
  ],
  kind: 'source',
};

/**
 * The entry the child processes use: `ROTOR_TEST_CLI=dist` or `source`
 * when set, else the build when it is fresh and the sources otherwise.
 */
export const cliEntry = (): CliEntry => {
  const wanted = process.env['ROTOR_TEST_CLI'];
  if (wanted === 'dist') {
    return dist;
  }
  if (wanted === 'source') {
    return source;
  }

  return buildIsFresh() ? dist : source;
};
