import { generateTestKey, parseSshKey } from '@rotor/testkit';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Fingerprint } from './fingerprint.js';
import { hostKeyPolicy } from './hostKeyPolicy.js';
import { knownHostKeys } from './knownHosts.js';

const execFileAsync = promisify(execFile);

const key = generateTestKey();
const other = generateTestKey();
const blobOf = (line: string) => parseSshKey(line).getPublicSSH();

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rotor-known-hosts-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('known_hosts lookup', () => {
  it('finds plain entries by name, port and pattern', () => {
    const text = [
      '# comment',
      '',
      `web-01,10.0.0.5 ${key.publicKeyLine}`,
      `[web-02]:2222 ${other.publicKeyLine} comment here`,
      `*.contoso.com,!db.contoso.com ${key.publicKeyLine}`,
    ].join('\n');

    expect(knownHostKeys(text, '10.0.0.5', 22)).toHaveLength(1);
    expect(knownHostKeys(text, 'WEB-01', 22)).toHaveLength(1);
    expect(knownHostKeys(text, 'web-01', 2222)).toHaveLength(0);
    expect(knownHostKeys(text, 'web-02', 2222)[0]?.keyBlob).toEqual(
      blobOf(other.publicKeyLine),
    );
    expect(knownHostKeys(text, 'web-02', 22)).toHaveLength(0);
    expect(knownHostKeys(text, 'app.contoso.com', 22)).toHaveLength(1);
    expect(knownHostKeys(text, 'db.contoso.com', 22)).toHaveLength(0);
  });

  it('reads entries hashed by ssh-keygen -H, including [host]:port', async () => {
    const file = join(dir, 'hashed');
    await writeFile(
      file,
      `app-01 ${key.publicKeyLine}\n[127.0.0.1]:2022 ${other.publicKeyLine}\n`,
    );
    await execFileAsync('ssh-keygen', ['-H', '-f', file]);
    const text = await readFile(file, 'utf8');

    expect(text).not.toContain('app-01');
    expect(knownHostKeys(text, 'app-01', 22)[0]?.keyBlob).toEqual(
      blobOf(key.publicKeyLine),
    );
    expect(knownHostKeys(text, '127.0.0.1', 2022)[0]?.keyBlob).toEqual(
      blobOf(other.publicKeyLine),
    );
    expect(knownHostKeys(text, 'app-02', 22)).toHaveLength(0);
  });

  it('marks @revoked keys and skips @cert-authority lines', () => {
    const text = [
      `@revoked app-01 ${key.publicKeyLine}`,
      `@cert-authority *.contoso.com ${other.publicKeyLine}`,
    ].join('\n');

    expect(knownHostKeys(text, 'app-01', 22)).toEqual([
      expect.objectContaining({ revoked: true }),
    ]);
    expect(knownHostKeys(text, 'x.contoso.com', 22)).toHaveLength(0);
  });
});

describe('host key policy', () => {
  const blob = blobOf(key.publicKeyLine);

  it('computes the fingerprint ssh-keygen prints', async () => {
    const file = join(dir, 'key.pub');
    await writeFile(file, `${key.publicKeyLine}\n`);
    const { stdout } = await execFileAsync('ssh-keygen', ['-l', '-f', file]);

    expect(stdout.split(' ')[1]).toBe(sha256Fingerprint(blob));
  });

  it('accepts the pinned fingerprint, with or without padding', () => {
    const pin = sha256Fingerprint(blob);

    expect(
      hostKeyPolicy('h', 22, { _tag: 'Pinned', fingerprint: pin }).check(blob),
    ).toEqual({ _tag: 'Accepted' });
    expect(
      hostKeyPolicy('h', 22, {
        _tag: 'Pinned',
        fingerprint: ` ${pin}= `,
      }).check(blob),
    ).toEqual({ _tag: 'Accepted' });
  });

  it('refuses a revoked key even when also listed', () => {
    const text = `@revoked h ${key.publicKeyLine}\nh ${key.publicKeyLine}\n`;
    const verdict = hostKeyPolicy('h', 22, {
      _tag: 'KnownHosts',
      file: 'kh',
      text,
    }).check(blob);

    expect(verdict._tag).toBe('Refused');
  });

  it('asks first for the key types the known_hosts file lists', () => {
    const policy = hostKeyPolicy('h', 22, {
      _tag: 'KnownHosts',
      file: 'kh',
      text: `h ssh-rsa AAAA\nh ${key.publicKeyLine}\n`,
    });

    expect(policy.preferredAlgorithms).toEqual([
      'rsa-sha2-512',
      'rsa-sha2-256',
      'ssh-rsa',
      'ssh-ed25519',
    ]);
  });
});
