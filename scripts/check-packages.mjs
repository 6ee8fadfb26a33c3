// Checks what each published package looks like to its users: publint (the
// package.json against the files `pnpm pack` would publish) and
// arethetypeswrong (the types every `exports` entry resolves to, under
// Node 16+ ESM and bundlers; rotor is ESM-only, so CommonJS `require` and
// node10 resolution are out of scope). Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

const packages = readdirSync('packages')
  .map((name) => `packages/${name}`)
  .filter((dir) => existsSync(`${dir}/package.json`));
const failed = [];
const run = (dir, what, args) => {
  try {
    execFileSync('pnpm', ['exec', ...args], { stdio: 'inherit' });
  } catch {
    failed.push(`${dir}: ${what}`);
  }
};
for (const dir of packages) {
  if (!existsSync(`${dir}/dist/index.js`)) {
    failed.push(`${dir}: no dist/index.js (run pnpm build first)`);
    continue;
  }
  run(dir, 'publint', ['publint', '--strict', dir]);
  run(dir, 'attw', ['attw', '--pack', dir, '--profile', 'esm-only']);
}
if (failed.length > 0) {
  console.error(`\npackage checks failed:\n${failed.join('\n')}`);
  process.exit(1);
}
console.log(`\n${packages.length} packages pass publint and attw`);
