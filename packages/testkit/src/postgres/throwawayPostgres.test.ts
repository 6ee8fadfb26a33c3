import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findPostgresBin } from './findPostgres.js';
import { startThrowawayPostgres } from './throwawayPostgres.js';
import { testPostgres } from './testPostgres.js';

const run = promisify(execFile);
const bin = findPostgresBin();

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);

    return true;
  } catch {
    return false;
  }
};

describe.skipIf(bin === undefined)('startThrowawayPostgres', () => {
  it('serves SQL on loopback with a password and stops by pid', async () => {
    const pg = await startThrowawayPostgres();
    const url = new URL(pg.connectionString);
    try {
      expect(url.hostname).toBe('127.0.0.1');
      expect(Number(url.port)).toBe(pg.port);
      expect(url.password.length).toBeGreaterThan(16);
      expect(alive(pg.pid)).toBe(true);
      expect(existsSync(join(pg.dir, 'pwfile'))).toBe(false);

      const psql = join(bin ?? '', 'psql');
      const psqlPath = existsSync(psql) ? psql : 'psql';
      const query = (password: string) =>
        run(
          psqlPath,
          [
            '-h',
            '127.0.0.1',
            '-p',
            String(pg.port),
            '-U',
            'postgres',
            '-tAc',
          ].concat("SELECT current_setting('server_encoding')"),
          {
            env: {
              ...process.env,
              PGPASSWORD: password,
              PGDATABASE: 'postgres',
            },
          },
        );
      const { stdout } = await query(decodeURIComponent(url.password));
      expect(stdout.trim()).toBe('UTF8');
      await expect(query('wrong')).rejects.toThrow(/password authentication/);
    } finally {
      await pg.stop();
    }
    expect(alive(pg.pid)).toBe(false);
    expect(existsSync(pg.dir)).toBe(false);
    await pg.stop();
  });

  it('gives two clusters separate ports and folders', async () => {
    const [a, b] = await Promise.all([
      startThrowawayPostgres(),
      startThrowawayPostgres(),
    ]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.dir).not.toBe(b.dir);
      expect(statSync(a.dir).mode & 0o777).toBe(0o700);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });
});

describe('testPostgres', () => {
  it('uses ROTOR_TEST_POSTGRES_URL without starting anything', async () => {
    const given = 'postgres://u:p@127.0.0.1:1/db';
    const pg = await testPostgres({ ROTOR_TEST_POSTGRES_URL: given });
    expect(pg).toMatchObject({ connectionString: given, started: false });
    await pg.stop();
  });
});

describe('startThrowawayPostgres without PostgreSQL', () => {
  it('says how to install it', async () => {
    await expect(
      startThrowawayPostgres({ bin: '/nonexistent/bin' }),
    ).rejects.toThrow(/not installed: apt-get install -y postgresql/);
  });
});
