import { startThrowawayPostgres } from './throwawayPostgres.js';

/**
 * The PostgreSQL server a test suite uses: where it is, and how to let go
 * of it. `started` says whether the suite started it (and `stop` ends it)
 * or was given one (and `stop` does nothing).
 *
 * @category testing
 */
export interface TestPostgres {
  readonly connectionString: string;
  readonly started: boolean;
  /**
   * Stops the cluster this call started; does nothing for a server named by
   * `ROTOR_TEST_POSTGRES_URL`.
   */
  readonly stop: () => Promise<void>;
}

/**
 * The server named by `ROTOR_TEST_POSTGRES_URL` when set (CI may run one
 * for every suite), else a throw-away cluster of its own.
 *
 * @example
 * let pg: TestPostgres;
 * beforeAll(async () => { pg = await testPostgres(); });
 * afterAll(() => pg.stop());
 *
 * @category testing
 */
export const testPostgres = async (
  env: NodeJS.ProcessEnv = process.env,
): Promise<TestPostgres> => {
  const given = env['ROTOR_TEST_POSTGRES_URL'];
  if (given !== undefined && given !== '') {
    return {
      connectionString: given,
      started: false,
      stop: () => Promise.resolve(),
    };
  }
  const server = await startThrowawayPostgres();

  return {
    connectionString: server.connectionString,
    started: true,
    stop: server.stop,
  };
};
