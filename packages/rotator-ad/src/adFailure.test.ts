import { ConstraintViolationError, InvalidCredentialsError } from 'ldapts';
import { describe, expect, it } from 'vitest';
import { Secret } from '@rotor/core';
import { failureOfError, redactSecrets, refusalOf } from './adFailure.js';

const constraint = (text: string) => new ConstraintViolationError(text);

describe('refusalOf', () => {
  it('reads the result code, the extended error and the data sub-code', () => {
    const bind = new InvalidCredentialsError(
      '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 775, v1db1',
    );
    expect(refusalOf(bind)).toEqual({
      resultCode: 49,
      extendedError: '80090308',
      data: '775',
      text: '80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data 775, v1db1',
    });
  });

  it('is undefined for an error without a numeric code', () => {
    expect(refusalOf(new Error('boom'))).toBeUndefined();
    expect(refusalOf('text')).toBeUndefined();
  });
});

describe('failureOfError', () => {
  const cases: ReadonlyArray<[string, string, number]> = [
    [
      '0000052D: Constraint violation - check_password_restrictions: the password is too short. It should be equal or longer than 7 characters!',
      'PasswordTooShort',
      1325,
    ],
    [
      '0000052D: Constraint violation - check_password_restrictions: the password does not meet the complexity criteria!',
      'PasswordNotComplex',
      1325,
    ],
    [
      '0000052D: Constraint violation - check_password_restrictions: password is too young to change!',
      'PasswordTooYoung',
      1325,
    ],
    [
      '0000052D: Constraint violation - check_password_restrictions: the password was already used (in history)!',
      'PasswordInHistory',
      1325,
    ],
    [
      '0000052D: Constraint violation - check_password_restrictions: the password was already used (previous password)!',
      'PasswordInHistory',
      1325,
    ],
    [
      "00000056: Constraint violation - check_password_restrictions: The old password specified doesn't match!",
      'OldPasswordMismatch',
      86,
    ],
  ];
  it.each(cases)('names a policy refusal: %s', (text, code, windowsCode) => {
    const f = failureOfError('changing', constraint(text), []);
    expect(f).toMatchObject({ code, windowsCode, transient: false });
    expect(f.message).toContain('LDAP 19 constraintViolation');
  });

  it('names bind refusals by their data sub-code', () => {
    const bind = (data: string) =>
      failureOfError(
        'binding',
        new InvalidCredentialsError(
          `80090308: LdapErr: DSID-0C0903A9, comment: AcceptSecurityContext error, data ${data}, v1db1`,
        ),
        [],
      );
    expect(bind('52e')).toMatchObject({
      code: 'InvalidCredentials',
      windowsCode: 1326,
    });
    expect(bind('775')).toMatchObject({
      code: 'AccountLockedOut',
      windowsCode: 1909,
    });
    expect(bind('533')).toMatchObject({
      code: 'AccountDisabled',
      windowsCode: 1331,
    });
  });

  it('tells a certificate refusal from an unreachable directory', () => {
    const tls = Object.assign(new Error('unable to verify'), {
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
    expect(failureOfError('connecting', tls, [])).toMatchObject({
      code: 'TlsCertificateRejected',
      transient: false,
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), {
      code: 'ECONNREFUSED',
    });
    expect(failureOfError('connecting', refused, [])).toMatchObject({
      code: 'Unreachable',
      transient: true,
    });
  });

  it('never keeps a password in the message', () => {
    const password = Secret.of('Pa55(word)!');
    const f = failureOfError(
      'changing',
      constraint(`0000052D: something about Pa55(word)! here`),
      [undefined, password],
    );
    expect(f.message).not.toContain(password.reveal());
    expect(f.message).toContain('[secret]');
    expect(redactSecrets('a b a', [Secret.of('a'), Secret.of('')])).toBe(
      '[secret] b [secret]',
    );
  });
});
