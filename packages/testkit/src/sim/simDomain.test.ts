import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { SimDomain } from './simDomain.js';

const domain = () =>
  new SimDomain({
    netbios: 'CONTOSO',
    dns: 'contoso.com',
    accounts: [{ sam: 'svc-app', password: 'right', lockoutThreshold: 3 }],
  });

const codeOf = (e: E.Either<{ code: number }, void>) =>
  E.isLeft(e) ? e.left.code : 0;

describe('SimDomain', () => {
  it('accepts the right password, case-insensitively by name', () => {
    expect(codeOf(domain().verify('SVC-APP', 'right'))).toBe(0);
  });

  it('counts bad logons and locks out at the threshold', () => {
    const d = domain();
    expect(codeOf(d.verify('svc-app', 'wrong'))).toBe(1326);
    expect(codeOf(d.verify('svc-app', 'wrong'))).toBe(1326);
    expect(d.accounts.get('svc-app')?.badLogons).toBe(2);
    expect(codeOf(d.verify('svc-app', 'wrong'))).toBe(1326);
    expect(d.accounts.get('svc-app')?.locked).toBe(true);
    expect(codeOf(d.verify('svc-app', 'right'))).toBe(1909);
  });

  it('resets the count on a good logon', () => {
    const d = domain();
    d.verify('svc-app', 'wrong');
    d.verify('svc-app', 'right');
    expect(d.accounts.get('svc-app')?.badLogons).toBe(0);
  });

  it('sets a password, and refuses an unknown account', () => {
    const d = domain();
    expect(E.isRight(d.setPassword('svc-app', 'next'))).toBe(true);
    expect(codeOf(d.verify('svc-app', 'next'))).toBe(0);
    expect(codeOf(d.setPassword('nobody', 'x'))).toBe(2221);
  });

  it('reports a disabled account only once the password is right', () => {
    const d = new SimDomain({
      netbios: 'C',
      dns: 'c.com',
      accounts: [{ sam: 'old', password: 'p', enabled: false }],
    });
    expect(codeOf(d.verify('old', 'bad'))).toBe(1326);
    expect(codeOf(d.verify('old', 'p'))).toBe(1331);
  });

  it('gives unknown accounts the generic logon failure', () => {
    expect(codeOf(domain().verify('nobody', 'x'))).toBe(1326);
  });
});
