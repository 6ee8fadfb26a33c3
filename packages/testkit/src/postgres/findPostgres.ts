import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const debianRoot = '/usr/lib/postgresql';

const byVersion = (a: string, b: string): number =>
  Number.parseFloat(a) - Number.parseFloat(b);

/**
 * The folder of PostgreSQL's server programs (`initdb`, `postgres`,
 * `pg_isready`): `ROTOR_POSTGRES_BIN` when set, else the newest Debian
 * `/usr/lib/postgresql/<version>/bin`; `undefined` when none is installed
 * (`apt-get install -y postgresql` provides it).
 *
 * @category testing
 */
export const findPostgresBin = (
  env: NodeJS.ProcessEnv = process.env,
): string | undefined => {
  const given = env['ROTOR_POSTGRES_BIN'];
  if (given !== undefined && given !== '') {
    return existsSync(join(given, 'postgres')) ? given : undefined;
  }
  if (!existsSync(debianRoot)) {
    return undefined;
  }
  const versions = readdirSync(debianRoot)
    .filter((v) => existsSync(join(debianRoot, v, 'bin', 'postgres')))
    .sort(byVersion);
  const newest = versions.at(-1);

  return newest === undefined ? undefined : join(debianRoot, newest, 'bin');
};

/** An OS account's numeric ids. */
export interface OsAccount {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

/**
 * The account a cluster runs as when the tests run as root (`initdb` and
 * `postgres` refuse root): `postgres`, which Debian's package creates, or
 * else `nobody`. `undefined` when neither is in `/etc/passwd`.
 */
export const serverAccount = (
  passwd = '/etc/passwd',
): OsAccount | undefined => {
  const lines = existsSync(passwd)
    ? readFileSync(passwd, 'utf8').split('\n')
    : [];
  for (const wanted of ['postgres', 'nobody']) {
    const fields = lines
      .map((line) => line.split(':'))
      .find((f) => f[0] === wanted);
    const uid = Number(fields?.[2]);
    const gid = Number(fields?.[3]);
    if (fields !== undefined && Number.isInteger(uid) && uid > 0) {
      return { name: wanted, uid, gid };
    }
  }

  return undefined;
};
