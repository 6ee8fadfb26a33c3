// `rotor demo` end to end, in-process: APP01 over SSH, WEB01 over WinRM.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../program.js';

let dir: string | undefined;

afterEach(() => {
  vi.restoreAllMocks();
  if (dir !== undefined) {
    rmSync(dir, { recursive: true, force: true });
  }
  dir = undefined;
});

describe('rotor demo', () => {
  it('rotates across an SSH and a WinRM host and checks every dependent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rotor-demo-'));
    const out: string[] = [];
    vi.spyOn(console, 'log').mockImplementation(
      (...a: unknown[]) => void out.push(a.join(' ')),
    );
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    process.exitCode = undefined;
    await main([
      'node',
      'rotor',
      '--store',
      join(dir, 'rotor.db'),
      '--inventory',
      join(dir, 'rotor.yaml'),
      'demo',
    ]);
    const code = Number(process.exitCode ?? 0);
    process.exitCode = undefined;
    const text = out.join('\n');
    expect(code).toBe(0);
    expect(text).toContain('APP01 over SSH (pinned host key)');
    expect(text).toContain('WEB01 over WinRM (HTTPS, pinned certificate)');
    expect(text).toContain('$ rotor rotate -r svc-app --wait');
    expect(text).toMatch(/WEB01 +iis +AppPool .* new +ok/);
    expect(text).toContain('No entry holds the password: ok');
    expect(text).toContain('Demo passed.');
    const inventory = readFileSync(join(dir, 'rotor.yaml'), 'utf8');
    expect(inventory).toMatch(/protocol: winrm/);
    expect(inventory).toContain('title: svc-other');
  });
});
