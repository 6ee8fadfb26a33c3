import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classifyAccount,
  isBuiltInAccount,
  isManagedServiceAccount,
  isVirtualAccount,
  matchesAccount,
  type AccountTarget,
} from './account.js';

interface Case {
  readonly id: string;
  readonly input: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
}

const cases = JSON.parse(
  readFileSync(
    new URL('../../../../shared/windows-cases.json', import.meta.url),
    'utf8',
  ),
) as ReadonlyArray<Case>;
const caseOf = (id: string): Case => {
  const found = cases.find((c) => c.id === id);
  if (found === undefined) {
    throw new Error(`case ${id} missing`);
  }

  return found;
};

const host01 = {
  computerName: 'HOST01',
  domain: { netbios: 'CONTOSO', dns: 'contoso.example' },
};

const local = (login: string): AccountTarget => ({ login, scope: 'local' });
const domain = (login: string): AccountTarget => ({ login, scope: 'domain' });

describe('matchesAccount', () => {
  it('W01: .\\user and HOST\\user are the local account; the domain namesake is not', () => {
    const w01 = caseOf('W01');
    const expected = w01.expected['matchesRotatedAccount'] as Record<
      string,
      boolean
    >;
    const target = local(String(w01.input['rotatedAccount']));

    for (const [written, matches] of Object.entries(expected)) {
      expect([written, matchesAccount(written, target, host01)]).toEqual([
        written,
        matches,
      ]);
    }
    // The reverse: a domain target never matches a local form.
    expect(
      matchesAccount('.\\svc-app', domain('CONTOSO\\svc-app'), host01),
    ).toBe(w01.expected['reverseCheckMatches']);
  });

  it('W01: a domain account matches its NetBIOS, DNS and UPN forms, case-insensitively', () => {
    const target = domain('CONTOSO\\svc-app');

    for (const written of [
      'CONTOSO\\svc-app',
      'contoso\\SVC-APP',
      'contoso.example\\svc-app',
      'svc-app@contoso.example',
      'SVC-APP@CONTOSO.EXAMPLE',
    ]) {
      expect([written, matchesAccount(written, target, host01)]).toEqual([
        written,
        true,
      ]);
    }
    for (const written of [
      '.\\svc-app',
      'HOST01\\svc-app',
      'WORKGROUP\\svc-app',
      'FABRIKAM\\svc-app',
      'svc-app@fabrikam.example',
      'svc-app',
      'CONTOSO\\svc-app ',
    ]) {
      expect([written, matchesAccount(written, target, host01)]).toEqual([
        written,
        false,
      ]);
    }
  });

  it("W01: UPN suffixes from the user record count, the host's domain is learnt from either name", () => {
    const target: AccountTarget = {
      login: 'svc-app@corp.example',
      scope: 'domain',
      domain: {
        netbios: 'CONTOSO',
        dns: 'contoso.example',
        upnSuffixes: ['corp.example'],
      },
    };

    expect(matchesAccount('CONTOSO\\svc-app', target, host01)).toBe(true);
    expect(matchesAccount('svc-app@corp.example', target, host01)).toBe(true);
    expect(
      matchesAccount(
        'contoso.example\\svc-app',
        domain('CONTOSO\\svc-app'),
        host01,
      ),
    ).toBe(true);
    expect(
      matchesAccount(
        'CONTOSO\\svc-app',
        domain('contoso.example\\svc-app'),
        host01,
      ),
    ).toBe(true);
  });

  it('W01: a local account of another host never matches here', () => {
    expect(matchesAccount('.\\svc-app', local('HOST02\\svc-app'), host01)).toBe(
      false,
    );
    expect(matchesAccount('HOST01\\svc-app', local('.\\svc-app'), host01)).toBe(
      true,
    );
    expect(matchesAccount('HOST01\\svc-app', local('svc-app'), host01)).toBe(
      true,
    );
  });

  it('W03: built-in accounts in every spelling never match and are classified', () => {
    const w03 = caseOf('W03');
    const classes = w03.expected['classification'] as Record<string, string>;

    for (const [written, expected] of Object.entries(classes)) {
      const mapped =
        expected === 'skip-unrecognised' ? 'unrecognised' : expected;
      expect([written, classifyAccount(written)]).toEqual([written, mapped]);
      expect(matchesAccount(written, domain('CONTOSO\\svc-app'), host01)).toBe(
        false,
      );
      expect(
        matchesAccount(written, local('HOST01\\LocalSystem'), host01),
      ).toBe(false);
    }
    for (const sid of ['S-1-5-18', 'S-1-5-19', 'S-1-5-20']) {
      expect(isBuiltInAccount(sid)).toBe(true);
    }
  });

  it('W04: gMSAs and NT SERVICE virtual accounts are told apart and never match', () => {
    const w04 = caseOf('W04');
    const classes = w04.expected['classification'] as Record<string, string>;
    const target = domain(String(w04.input['rotatedAccount']));

    for (const [written, expected] of Object.entries(classes)) {
      expect([written, classifyAccount(written)]).toEqual([written, expected]);
      expect([written, matchesAccount(written, target, host01)]).toEqual([
        written,
        expected === 'candidate',
      ]);
    }
    expect(isManagedServiceAccount('CONTOSO\\gmsa-sql$')).toBe(true);
    expect(isManagedServiceAccount('gmsa-sql$@contoso.example')).toBe(true);
    expect(isVirtualAccount('NT SERVICE\\MSSQL$SQLEXPRESS')).toBe(true);
    expect(isVirtualAccount('IIS APPPOOL\\DefaultAppPool')).toBe(true);
    // A gMSA as the rotated account matches nothing, not even itself.
    expect(
      matchesAccount(
        'CONTOSO\\gmsa-sql$',
        domain('CONTOSO\\gmsa-sql$'),
        host01,
      ),
    ).toBe(false);
  });
});
