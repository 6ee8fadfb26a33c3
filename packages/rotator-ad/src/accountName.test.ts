import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testUser } from '@rotor/core/testing';
import { Secret } from '@rotor/core';
import { accountFilter, escapeFilterValue, samOfLogin } from './accountName.js';
import { unicodePwdValue } from './unicodePwd.js';

describe('account names', () => {
  it('takes the account part of every written form', () => {
    expect(samOfLogin('CORP\\svc-app')).toBe('svc-app');
    expect(samOfLogin('svc-app@corp.example')).toBe('svc-app');
    expect(samOfLogin('svc-app')).toBe('svc-app');
  });

  it('searches by UPN or name for a UPN login', () => {
    expect(accountFilter(testUser('svc', { login: 'svc@corp.example' }))).toBe(
      '(&(objectCategory=person)(objectClass=user)(|(userPrincipalName=svc@corp.example)(sAMAccountName=svc)))',
    );
  });

  it('escapes every filter metacharacter, so no value changes the filter', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const escaped = escapeFilterValue(value);
        expect(escaped).not.toMatch(/[*()\0]/);
        expect(
          escaped.replace(/\\([0-9a-f]{2})/g, (_, h: string) =>
            String.fromCharCode(Number.parseInt(h, 16)),
          ),
        ).toBe(value);
      }),
      { numRuns: 200 },
    );
  });
});

describe('unicodePwdValue', () => {
  it('is the quoted password in UTF-16LE', () => {
    const value = unicodePwdValue(Secret.of('Pä55!'));
    expect(value.toString('utf16le')).toBe('"Pä55!"');
    expect(value.length).toBe(14);
  });
});
