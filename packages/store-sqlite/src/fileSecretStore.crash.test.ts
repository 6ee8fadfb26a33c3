import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFileSecretStore } from './fileSecretStore.js';

const fixtures = fileURLToPath(new URL('../test/fixtures/', import.meta.url));
const key = randomBytes(32);

const killWriterMidway = async (path: string, delayMs: number) => {
  const child = spawn(
    process.execPath,
    [
      '--conditions=@rotor/source',
      '--import',
      pathToFileURL(join(fixtures, 'registerTsHooks.mjs')).href,
      join(fixtures, 'secretWriter.ts'),
      path,
      'u1',
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ROTOR_TEST_SECRET_KEY: key.toString('hex') },
    },
  );
  const exited = once(child, 'exit');
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no ready')), 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('ready')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`writer exited ${code}`));
      });
    });
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  } finally {
    if (child.pid !== undefined && child.exitCode === null) {
      process.kill(child.pid, 'SIGKILL');
    }
    await exited;
  }
};

describe('a secret writer killed with SIGKILL', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rotor-secret-crash-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('leaves a whole file whose every version decrypts', async () => {
    for (const delayMs of [30, 90, 170]) {
      const path = join(dir, `secrets-${delayMs}.json`);
      await killWriterMidway(path, delayMs);

      const opened = await openFileSecretStore({ path, key });
      if (isLeft(opened)) {
        throw new Error(opened.left.message);
      }
      const store = opened.right;
      const current = await store.current('u1');
      expect(isRight(current)).toBe(true);
      const file = JSON.parse(await readFile(path, 'utf8'));
      const versions: { version: number; state: string }[] = file.u1.versions;
      expect(versions.filter((v) => v.state === 'current')).toHaveLength(1);
      for (const v of versions) {
        const secret = await store.get('u1', v.version);
        expect(isRight(secret) && secret.right.reveal()).toBe(
          `pw-${v.version - 1}`,
        );
      }
    }
  }, 90_000);
});
