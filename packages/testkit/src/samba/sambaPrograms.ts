import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/**
 * The programs a throw-away Samba AD DC needs, by absolute path.
 *
 * @category testing
 */
export interface SambaPrograms {
  readonly samba: string;
  readonly sambaTool: string;
  readonly ldapsearch: string;
  readonly openssl: string;
  readonly ip: string | undefined;
}

const folders = ['/usr/sbin', '/usr/bin', '/sbin', '/bin'];

const find = (name: string): string | undefined =>
  folders
    .map((folder) => join(folder, name))
    .find((path) => {
      try {
        accessSync(path, constants.X_OK);

        return true;
      } catch {
        return false;
      }
    });

/**
 * Where Samba's programs are, or why a Samba DC cannot be started here:
 * a missing program (install with
 * `DEBIAN_FRONTEND=noninteractive apt-get install -y samba
 * samba-ad-provision samba-dsdb-modules krb5-user winbind ldap-utils`), or
 * not running as root (the DC binds ports 53, 88, 389 and 636).
 *
 * @category testing
 */
export const findSambaPrograms = (): SambaPrograms | string => {
  const samba = find('samba');
  const sambaTool = find('samba-tool');
  const ldapsearch = find('ldapsearch');
  const openssl = find('openssl');
  const missing = [
    ['samba', samba],
    ['samba-tool', sambaTool],
    ['ldapsearch', ldapsearch],
    ['openssl', openssl],
  ]
    .filter(([, path]) => path === undefined)
    .map(([name]) => name);
  if (missing.length > 0) {
    return `not installed: ${missing.join(', ')} (apt-get install samba samba-ad-provision samba-dsdb-modules krb5-user winbind ldap-utils openssl)`;
  }
  if (process.getuid?.() !== 0) {
    return 'a Samba DC needs root (it binds ports 53, 88, 389 and 636)';
  }

  return {
    samba: samba ?? '',
    sambaTool: sambaTool ?? '',
    ldapsearch: ldapsearch ?? '',
    openssl: openssl ?? '',
    ip: find('ip'),
  };
};

/**
 * Why the Samba suites are skipped here, or `undefined` when they run.
 * Without Samba they are skipped with that reason, except under CI
 * (`CI` set), where they run and fail so that a missing package is seen.
 *
 * @example
 * const skip = sambaSkipReason();
 * describe.skipIf(skip !== undefined)('against Samba', () => { … });
 *
 * @category testing
 */
export const sambaSkipReason = (
  env: NodeJS.ProcessEnv = process.env,
): string | undefined => {
  const found = findSambaPrograms();
  if (typeof found !== 'string') {
    return undefined;
  }
  const ci = env['CI'];

  return ci !== undefined && ci !== '' ? undefined : `Samba AD DC: ${found}`;
};
