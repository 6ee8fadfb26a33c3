import { spawnSync } from 'node:child_process';
import * as E from 'fp-ts/lib/Either.js';
import type { Secret } from '@rotor/core';

/**
 * Why a directory refused a bind: the LDAP result code (49 invalid
 * credentials, -1 when the client could not run or connect) and Active
 * Directory's `data` sub-code when it sent one (`52e` wrong password or
 * unknown user, `775` locked out, `533` disabled, `532` expired).
 *
 * @category testing
 */
export interface BindRefusal {
  readonly ldapCode: number;
  readonly data?: string;
  readonly message: string;
}

/** Where and how {@link ldapBindSync} connects. @category testing */
export interface LdapBindTarget {
  readonly ldapsearch: string;
  /** `ldaps://…`; the certificate must name this host or address. */
  readonly url: string;
  /** The CA the server certificate is verified against. */
  readonly caFile: string;
  /** Bound of one bind, 10 s by default. */
  readonly timeoutMs?: number;
}

const dataOf = (text: string): string | undefined =>
  /\bdata ([0-9a-f]{1,8})\b/i.exec(text)?.[1]?.toLowerCase();

/**
 * Binds to the directory as `login` with `password`, synchronously, with
 * OpenLDAP's `ldapsearch` reading the password from stdin (never the
 * command line) and the server certificate verified against the CA file.
 * It exists so that code that must answer at once (a simulated service
 * start) can still ask a real DC, one bind per logon. An empty password
 * is refused here (the server would take it as an anonymous bind).
 *
 * @category testing
 */
export const ldapBindSync = (
  target: LdapBindTarget,
  login: string,
  password: Secret,
): E.Either<BindRefusal, void> => {
  if (password.reveal() === '') {
    // An empty password would be an anonymous bind, which succeeds.
    return E.left({ ldapCode: 49, data: '52e', message: 'empty password' });
  }
  const seconds = String(Math.ceil((target.timeoutMs ?? 10_000) / 1000));
  // ldapsearch open()s the file named by -y; Node's stdin for a child is a
  // socket, which cannot be opened as /dev/stdin, so cat copies it into a
  // pipe first.
  const result = spawnSync(
    '/bin/sh',
    [
      '-c',
      'cat | "$@"',
      'sh',
      target.ldapsearch,
      '-H',
      target.url,
      '-x',
      '-D',
      login,
      '-y',
      '/dev/stdin',
      '-o',
      `nettimeout=${seconds}`,
      '-l',
      seconds,
      '-b',
      '',
      '-s',
      'base',
      '1.1',
    ],
    {
      input: password.reveal(),
      encoding: 'utf8',
      timeout: (target.timeoutMs ?? 10_000) + 2_000,
      env: {
        PATH: '/usr/bin:/bin',
        LANG: 'C.UTF-8',
        LDAPTLS_CACERT: target.caFile,
        LDAPTLS_REQCERT: 'demand',
      },
    },
  );
  if (result.status === 0) {
    return E.right(undefined);
  }
  const stderr = (result.stderr ?? '').replace(password.reveal(), '[secret]');
  const data = dataOf(stderr);
  const firstLine = stderr.trim().split('\n')[0] ?? '';

  return E.left({
    ldapCode: result.status ?? -1,
    ...(data === undefined ? {} : { data }),
    message: firstLine === '' ? 'ldapsearch failed' : firstLine,
  });
};
