// Type-checks every package's sources and tests (tsc -b builds the sources;
// each package's tsconfig.json adds its tests, with no output).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const run = (args) =>
  execFileSync('pnpm', ['exec', 'tsc', ...args], { stdio: 'inherit' });

run(['-b']);
const projects = [
  ...readdirSync('packages').map((p) => `packages/${p}/tsconfig.json`),
  ...(existsSync('examples')
    ? readdirSync('examples').map((p) => `examples/${p}/tsconfig.json`)
    : []),
  'test/tsconfig.json',
].filter((p) => existsSync(p));
for (const project of projects) {
  run(['-p', project]);
}
