// The README's two commands, `npm run demo` and `npm test`, on a machine that
// has only Node 20 and npm: bring pnpm (pinned), install the workspace,
// build it, then run the demo or the tests.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const verb = process.argv[2];
const pinned = JSON.parse(
  readFileSync('package.json', 'utf8'),
).packageManager.split('@')[1];

const has = (cmd, args) =>
  spawnSync(cmd, args, { stdio: 'ignore', shell: false }).status === 0;

const pnpmVersion = () => {
  const r = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });

  return r.status === 0 ? r.stdout.trim() : undefined;
};

const step = (title, cmd, args) => {
  console.log(`\n> ${title}`);
  execFileSync(cmd, args, { stdio: 'inherit' });
};

if (pnpmVersion() !== pinned) {
  step(`installing pnpm ${pinned}`, 'npm', ['i', '-g', `pnpm@${pinned}`]);
}
if (!has('pnpm', ['--version'])) {
  console.error('pnpm could not be installed; see the README.');
  process.exit(1);
}
step('installing the workspace', 'pnpm', ['install', '--frozen-lockfile']);
step('building', 'pnpm', ['run', 'build']);

const rest = process.argv.slice(3);
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  process.exit(r.status ?? 1);
};

switch (verb) {
  case 'demo':
    run('node', ['packages/cli/dist/bin.js', 'demo', ...rest]);
    break;
  case 'test':
    run('pnpm', ['exec', 'vitest', 'run', ...rest]);
    break;
  default:
    console.error(`unknown verb ${verb}`);
    process.exit(2);
}
