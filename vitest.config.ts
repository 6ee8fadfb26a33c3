import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources in tests through the
// `@rotor/source` export condition, so `pnpm test` needs no prior build.
const conditions = ['@rotor/source', 'import', 'module', 'node', 'default'];
// Test workers get these as Node's --conditions: `import` there would make
// CommonJS packages such as `pg` load their ES builds, which break.
const nodeConditions = ['@rotor/source', 'node'];

export default defineConfig({
  resolve: { conditions },
  ssr: {
    resolve: { conditions: nodeConditions, externalConditions: nodeConditions },
  },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'test/**/*.test.ts',
      'examples/*/src/**/*.test.ts',
    ],
    globalSetup: ['./test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
