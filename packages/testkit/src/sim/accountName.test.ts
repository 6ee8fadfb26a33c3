import { describe, expect, it } from 'vitest';
import { resolveAccount } from './accountName.js';

const ctx = {
  computerName: 'HOST01',
  domain: {
    netbios: 'CONTOSO',
    dns: 'contoso.com',
    upnSuffixes: ['contoso.example'],
  },
};

describe('resolveAccount', () => {
  it.each([
    ['.\\svc-app', { kind: 'local', sam: 'svc-app' }],
    ['HOST01\\svc-app', { kind: 'local', sam: 'svc-app' }],
    ['host01\\SVC-APP', { kind: 'local', sam: 'SVC-APP' }],
    ['CONTOSO\\svc-app', { kind: 'domain', sam: 'svc-app' }],
    ['contoso.com\\svc-app', { kind: 'domain', sam: 'svc-app' }],
    ['svc-app@contoso.com', { kind: 'domain', sam: 'svc-app' }],
    ['svc-app@CONTOSO.EXAMPLE', { kind: 'domain', sam: 'svc-app' }],
    ['CONTOSO\\gmsa-sql$', { kind: 'managed', sam: 'gmsa-sql$' }],
    ['svc-app', { kind: 'unqualified', sam: 'svc-app' }],
  ])('%s', (written, expected) => {
    expect(resolveAccount(written, ctx)).toEqual(expected);
  });

  it.each([
    'LocalSystem',
    'NT AUTHORITY\\SYSTEM',
    'nt authority\\local service',
    'NT AUTHORITY\\NetworkService',
    'NETWORK SERVICE',
  ])('%s is built in', (written) => {
    expect(resolveAccount(written, ctx).kind).toBe('builtin');
  });

  it.each([
    'NT SERVICE\\MSSQL$SQLEXPRESS',
    'NT Service\\SQLAgent$SQLEXPRESS',
    'IIS APPPOOL\\DefaultAppPool',
  ])('%s is virtual, even with a $ inside', (written) => {
    expect(resolveAccount(written, ctx).kind).toBe('virtual');
  });

  it.each([
    'WORKGROUP\\svc-app',
    'svc-app@fabrikam.com',
    'OTHER\\svc-app',
    '\\svc-app',
    '',
  ])('%s resolves to nothing', (written) => {
    expect(resolveAccount(written, ctx)).toEqual({ kind: 'unknown' });
  });

  it('never repairs a name: a trailing dot is another account', () => {
    expect(resolveAccount('.\\svc-app.', ctx)).toEqual({
      kind: 'local',
      sam: 'svc-app.',
    });
  });

  it('does not resolve domain names on a workgroup host', () => {
    expect(
      resolveAccount('CONTOSO\\svc-app', { computerName: 'HOST01' }),
    ).toEqual({ kind: 'unknown' });
  });
});
