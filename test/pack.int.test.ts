// Packs every package as it would be published and installs the tarballs
// into an empty project, then imports each main entry with plain Node.
// `pnpm pack` rewrites the `workspace:*` ranges to versions, which is what
// this proves together with the imports. Third-party dependencies (fp-ts,
// ssh2, better-sqlite3, …) come from the npm registry or npm's cache, so the
// test runs under CI or with ROTOR_PACK_TEST=1 (`pnpm test:pack`) and is
// skipped, saying so, otherwise.
import { execFileSync } from 'node:child_process';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const enabled =
  process.env['CI'] !== undefined || process.env['ROTOR_PACK_TEST'] === '1';
const packages = readdirSync(join(root, 'packages')).sort();
const work = mkdtempSync(join(tmpdir(), 'rotor-pack-'));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

const sh = (command: string, args: string[], cwd: string): string =>
  execFileSync(command, args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });

// Runs an ES module snippet in the installed project with plain Node.
const node = (app: string, code: string): string =>
  sh('node', ['--input-type=module', '-e', code], app);

describe.runIf(enabled)('the published packages', () => {
  it('install from their tarballs into an empty project and import', () => {
    sh('pnpm', ['exec', 'tsc', '-b'], root);
    const tarballs = join(work, 'tarballs');
    mkdirSync(tarballs);
    const dependencies: Record<string, string> = {};
    for (const dir of packages) {
      const out = sh(
        'pnpm',
        ['pack', '--pack-destination', tarballs],
        join(root, 'packages', dir),
      );
      const file = out.trim().split('\n').at(-1) ?? '';
      const manifest = sh('tar', ['-xOzf', file, 'package/package.json'], work);
      expect(manifest, `${dir} still names a workspace range`).not.toContain(
        'workspace:',
      );
      const { name } = JSON.parse(manifest) as { name: string };
      dependencies[name] = `file:${file}`;
    }
    expect(Object.keys(dependencies)).toHaveLength(packages.length);

    const app = join(work, 'app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({
        name: 'app',
        private: true,
        type: 'module',
        dependencies,
      }),
    );
    sh('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], app);

    for (const name of Object.keys(dependencies)) {
      const count = node(
        app,
        `const m = await import('${name}'); console.log(Object.keys(m).length);`,
      );
      expect(Number(count), `${name} exports nothing`).toBeGreaterThan(0);
    }
    // Only the `exports` map is importable: nothing internal.
    expect(() =>
      node(app, "await import('@rotor/core/dist/engine.js');"),
    ).toThrow(/ERR_PACKAGE_PATH_NOT_EXPORTED/);
    // The core works from the tarball: a password policy and a rotation's
    // building blocks load and run without the workspace.
    const generated = node(
      app,
      [
        "import { generatePassword, defaultPasswordPolicy, nodeRandom } from '@rotor/core';",
        'const p = generatePassword(defaultPasswordPolicy, nodeRandom);',
        "if (p._tag !== 'Right') throw new Error(p.left._tag);",
        'console.log(String(p.right), p.right.reveal().length);',
      ].join('\n'),
    );
    expect(generated.trim()).toMatch(/^\[secret\] \d+$/);
  }, 600_000);
});

describe.skipIf(enabled)('the published packages (skipped)', () => {
  it.skip('need CI or ROTOR_PACK_TEST=1: npm install fetches from the registry', () => {
    // Skipped on purpose; see the comment at the top of this file.
  });
});
