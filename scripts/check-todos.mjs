// Every TODO names the issue that resolves it: `TODO(<number>): …`. A bare
// TODO fails the lint, as STYLE.md asks.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard'], {
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => /\.(ts|mjs|js|ps1)$/.test(f) && !f.includes('node_modules'));
const bare = [];
for (const file of files) {
  if (file === 'scripts/check-todos.mjs') {
    continue;
  }
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    continue;
  }
  text.split('\n').forEach((line, i) => {
    if (/\bTODO\b(?!\(\d+\): )/.test(line)) {
      bare.push(`${file}:${i + 1}: ${line.trim()}`);
    }
  });
}
if (bare.length > 0) {
  console.error(
    `TODOs must read "TODO(<issue>): what and when it matters":\n${bare.join('\n')}`,
  );
  process.exit(1);
}
