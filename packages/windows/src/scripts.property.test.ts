import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bootstrapCommandLine,
  encodeStdin,
  scriptSha256,
} from './bootstrap.js';
import { remoteCommand } from './scripts.js';

// Any text, with astral characters, lone surrogates and controls.
const anyText = fc.string({ unit: 'binary', maxLength: 40 });

describe('remoteCommand', () => {
  it('W21: writes pure printable ASCII JSON that decodes to the same input', () => {
    fc.assert(
      fc.property(anyText, anyText, anyText, (name, account, password) => {
        const input = { name, account, password };
        const command = remoteCommand('set-service-credential', input);

        expect(/^[\x20-\x7e]*$/.test(command.input)).toBe(true);
        expect(command.input.startsWith('\ufeff')).toBe(false);
        expect(JSON.parse(command.input)).toEqual({
          ...input,
          nonce: command.nonce,
          scriptSha256: scriptSha256(command.script),
        });
      }),
      { numRuns: 300 },
    );
  });

  it('W12: the password is never in the script or on the command line', () => {
    // The script text must not depend on the password at all; comparing it
    // with the script built for another password says so without being
    // fooled by a generated password that is a word the script uses
    // anyway ("argument").
    const baseline = remoteCommand('change-local-password', {
      account: 'svc-app',
      password: '\u0000',
    }).script;
    fc.assert(
      fc.property(fc.string({ minLength: 8, maxLength: 30 }), (password) => {
        const command = remoteCommand('change-local-password', {
          account: 'svc-app',
          password,
        });
        const stdin = encodeStdin(command.script, command.input);
        const forms = [
          password,
          Buffer.from(password, 'utf16le').toString('base64'),
          Buffer.from(password, 'utf8').toString('base64'),
        ];

        expect(command.script).toBe(baseline);
        for (const form of forms) {
          if (!baseline.includes(form)) {
            expect(command.script.includes(form)).toBe(false);
          }
          expect(bootstrapCommandLine().includes(form)).toBe(false);
        }
        // Only the input line carries it, as JSON.
        expect(stdin.split('\r\n')[1]).toBe(command.input);
      }),
      { numRuns: 100 },
    );
  });

  it('W21: the known non-ASCII password travels as \\u escapes', () => {
    const nonce = '8f14e45fceea167a5a36dedd4bea2543';
    const command = remoteCommand(
      'test-logon',
      { account: 'CONTOSO\\svc-app', password: 'Grüße-Ключ-€42' },
      nonce,
    );
    const digest = scriptSha256(command.script);

    expect(command.input).toBe(
      `{"account":"CONTOSO\\\\svc-app","password":"Gr\\u00fc\\u00dfe-\\u041a\\u043b\\u044e\\u0447-\\u20ac42","nonce":"${nonce}","scriptSha256":"${digest}"}`,
    );
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(
      remoteCommand('test-logon', { account: 'a', password: '😀' }).input,
    ).toContain('\\ud83d\\ude00');
  });
});

describe('the integrity fields (W21)', () => {
  it('W21: every command carries a fresh 128-bit nonce and the SHA-256 of its script', () => {
    const a = remoteCommand('recycle-apppool', { name: 'AppPool' });
    const b = remoteCommand('recycle-apppool', { name: 'AppPool' });

    expect(a.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(a.nonce).not.toBe(b.nonce);
    expect(JSON.parse(a.input)).toMatchObject({
      nonce: a.nonce,
      scriptSha256: scriptSha256(a.script),
    });
    // The digest is over the UTF-8 bytes the bootstrap decodes from stdin.
    const sent = encodeStdin(a.script, a.input).split('\r\n')[0] ?? '';
    expect(scriptSha256(Buffer.from(sent, 'base64').toString('utf8'))).toBe(
      scriptSha256(a.script),
    );
  });
});
