import { isLeft } from 'fp-ts/lib/Either.js';
import { randomBytes } from 'node:crypto';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadSecretKey } from './secretKey.js';

const key = randomBytes(32);
let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotor-key-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const keyFile = async (content: string | Buffer, mode: number) => {
  const path = join(dir, 'key');
  await writeFile(path, content, { mode });
  await chmod(path, mode);

  return path;
};

describe('loadSecretKey', () => {
  it('reads hex or base64 from an environment variable', async () => {
    const environment = {
      HEX: key.toString('hex'),
      B64: `${key.toString('base64')}\n`,
    };
    for (const env of ['HEX', 'B64']) {
      expect(await loadSecretKey({ env }, environment)).toEqual({
        _tag: 'Right',
        right: key,
      });
    }
  });

  it('refuses a missing or malformed key without echoing it', async () => {
    expect(await loadSecretKey({ env: 'NONE' }, {})).toMatchObject({
      left: { code: 'KeyMissing', message: expect.stringContaining('NONE') },
    });
    const short = randomBytes(16).toString('hex');
    const result = await loadSecretKey({ env: 'K' }, { K: short });
    expect(result).toMatchObject({ left: { code: 'KeyMalformed' } });
    expect(JSON.stringify(result)).not.toContain(short);
    expect(await loadSecretKey(randomBytes(31))).toMatchObject({
      left: { code: 'KeyMalformed' },
    });
  });

  it('reads a key file of mode 0600 or 0400, as text or raw bytes', async () => {
    for (const [content, mode] of [
      [key.toString('base64'), 0o600],
      [key.toString('hex'), 0o400],
      [key, 0o600],
    ] as const) {
      const path = await keyFile(content, mode);
      expect(await loadSecretKey({ keyFile: path })).toEqual({
        _tag: 'Right',
        right: key,
      });
      await rm(path);
    }
  });

  it('refuses a key file that others may read or write', async () => {
    for (const mode of [0o644, 0o640, 0o602]) {
      const path = await keyFile(key.toString('hex'), mode);
      const result = await loadSecretKey({ keyFile: path });
      expect(result).toMatchObject({
        left: {
          _tag: 'SecretKeyError',
          code: 'KeyFileInsecure',
          message: expect.stringContaining('chmod 600'),
        },
      });
      expect(JSON.stringify(result)).not.toContain(key.toString('hex'));
      await rm(path);
    }
  });

  it.skipIf(process.getuid?.() !== 0)(
    'refuses a key file owned by another user',
    async () => {
      const path = await keyFile(key.toString('hex'), 0o600);
      await chown(path, 65534, 65534);
      expect(await loadSecretKey({ keyFile: path })).toMatchObject({
        left: {
          code: 'KeyFileInsecure',
          message: expect.stringContaining('uid 65534'),
        },
      });
    },
  );

  it('reports a missing key file as unreadable', async () => {
    const result = await loadSecretKey({ keyFile: join(dir, 'absent') });
    expect(isLeft(result) && result.left.code).toBe('KeyFileUnreadable');
  });
});
