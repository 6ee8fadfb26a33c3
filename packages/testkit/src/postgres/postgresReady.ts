import { findPostgresBin } from './findPostgres.js';

/**
 * Whether the PostgreSQL tests can run: a server given by
 * `ROTOR_TEST_POSTGRES_URL`, or Debian's PostgreSQL programs to start a
 * throw-away one. Under CI (the `CI` environment variable set) a missing
 * PostgreSQL is an error, so those tests are never skipped there;
 * elsewhere they are skipped with a message that says what to install.
 *
 * @category testing
 */
export const postgresReady = (): boolean => {
  if ((process.env['ROTOR_TEST_POSTGRES_URL'] ?? '') !== '') {
    return true;
  }
  if (findPostgresBin() !== undefined) {
    return true;
  }
  if ((process.env['CI'] ?? '') !== '') {
    throw new Error(
      'PostgreSQL tests need PostgreSQL: apt-get install -y postgresql',
    );
  }
  process.stderr.write(
    'skipping PostgreSQL tests: PostgreSQL is not installed ' +
      '(apt-get install postgresql, or set ROTOR_TEST_POSTGRES_URL)\n',
  );

  return false;
};
