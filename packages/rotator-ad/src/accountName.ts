import type { User } from '@rotor/core';

/**
 * The account part of a written login: `svc` of `CORP\svc`, `svc@corp.com`
 * or `svc`.
 *
 * @category model
 */
export const samOfLogin = (login: string): string => {
  const slash = login.lastIndexOf('\\');
  if (slash >= 0) {
    return login.slice(slash + 1);
  }
  const at = login.lastIndexOf('@');

  return at >= 0 ? login.slice(0, at) : login;
};

/**
 * A value escaped for an LDAP filter (RFC 4515): `\`, `*`, `(`, `)` and
 * NUL become `\5c`, `\2a`, `\28`, `\29`, `\00`.
 *
 * @category model
 */
export const escapeFilterValue = (value: string): string =>
  value.replace(
    /[\\*()\0]/g,
    (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`,
  );

/**
 * The LDAP filter that finds a user's account: by `sAMAccountName`, or for
 * a login written as a UPN, by `userPrincipalName` or the name before the
 * `@`. Values are escaped.
 *
 * @category model
 */
export const accountFilter = (user: User): string => {
  const sam = escapeFilterValue(samOfLogin(user.login));
  const byName = `(sAMAccountName=${sam})`;
  const named =
    user.login.includes('@') && !user.login.includes('\\')
      ? `(|(userPrincipalName=${escapeFilterValue(user.login)})${byName})`
      : byName;

  return `(&(objectCategory=person)(objectClass=user)${named})`;
};
