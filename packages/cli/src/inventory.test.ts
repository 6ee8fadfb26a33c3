import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, describe, expect, it } from 'vitest';
import { readSecretRef } from './inventory.js';

const dir = mkdtempSync(join(tmpdir(), 'rotor-secret-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fileWith = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });

  return path;
};

describe('readSecretRef', () => {
  it('reads a password file, without its one trailing newline', () => {
    const read = readSecretRef({ file: fileWith('ok', 'S3cret!\n') });

    expect(E.isRight(read) && read.right.reveal()).toBe('S3cret!');
  });

  it('refuses an empty file, which would blank every dependent', () => {
    for (const text of ['', '\n', '\r\n']) {
      const read = readSecretRef({ file: fileWith('empty', text) });

      expect(E.isLeft(read) && read.left.message).toMatch(/is empty/);
    }
  });

  it('refuses a file of several lines, naming the file and not the text', () => {
    const path = fileWith('two', 'first-Line\nsecond-Line\n');
    const read = readSecretRef({ file: path });

    expect(E.isLeft(read) && read.left.message).toContain(path);
    expect(E.isLeft(read) && read.left.message).not.toContain('first-Line');
  });

  it('refuses an unset or empty environment variable', () => {
    delete process.env['ROTOR_TEST_UNSET_SECRET'];
    const read = readSecretRef({ env: 'ROTOR_TEST_UNSET_SECRET' });

    expect(E.isLeft(read)).toBe(true);
  });
});
