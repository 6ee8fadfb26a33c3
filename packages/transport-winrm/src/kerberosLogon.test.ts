import { describe, expect, it } from 'vitest';
import { classifyKinitFailure } from './kinit.js';
import { kerberosPrincipalOf } from './kerberosLogon.js';

describe('kerberosPrincipalOf', () => {
  it('upper-cases the domain of user@domain', () => {
    expect(kerberosPrincipalOf('svc-app@corp.example', undefined)).toBe(
      'svc-app@CORP.EXAMPLE',
    );
  });

  it('takes the realm for DOMAIN\\user and bare names', () => {
    expect(kerberosPrincipalOf('CORP\\svc', 'corp.example')).toBe(
      'svc@CORP.EXAMPLE',
    );
    expect(kerberosPrincipalOf('svc', 'CORP.EXAMPLE')).toBe('svc@CORP.EXAMPLE');
    expect(kerberosPrincipalOf('svc', undefined)).toBeUndefined();
  });
});

describe('classifyKinitFailure', () => {
  it('a refused password or principal is refused and permanent', () => {
    expect(
      classifyKinitFailure(
        'kinit: Password incorrect while getting initial credentials',
      ),
    ).toEqual({
      kind: 'refused',
      transient: false,
      message: 'Password incorrect while getting initial credentials',
    });
    expect(
      classifyKinitFailure(
        "kinit: Client 'x@CORP.EXAMPLE' not found in Kerberos database while getting initial credentials",
      ).kind,
    ).toBe('refused');
  });

  it('an unreachable KDC is unavailable and transient', () => {
    expect(
      classifyKinitFailure(
        "kinit: Cannot contact any KDC for realm 'CORP.EXAMPLE' while getting initial credentials",
      ),
    ).toMatchObject({ kind: 'unavailable', transient: true });
  });
});
