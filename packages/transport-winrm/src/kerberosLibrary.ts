/** The part of the `kerberos` package this transport uses. */
export interface KerberosLibrary {
  readonly GSS_C_MUTUAL_FLAG: number;
  readonly GSS_C_SEQUENCE_FLAG: number;
  readonly GSS_MECH_OID_SPNEGO: number;
  readonly initializeClient: (
    service: string,
    options: { readonly gssFlag: number; readonly mechOID: number },
  ) => Promise<{
    step: (challenge: string) => Promise<string>;
    readonly contextComplete: boolean;
  }>;
}

let loaded: Promise<KerberosLibrary | string> | undefined;

/**
 * Loads the optional `kerberos` package (a native addon built against
 * MIT Kerberos' libkrb5-dev) once, or says why it cannot be.
 *
 * @category utils
 */
export const loadKerberos = (): Promise<KerberosLibrary | string> => {
  loaded ??= import('kerberos').then(
    (module: { default?: unknown }) =>
      (module.default ?? module) as KerberosLibrary,
    (error: unknown) =>
      `the kerberos package cannot be loaded (install libkrb5-dev, then ` +
      `reinstall so it builds): ${error instanceof Error ? error.message : String(error)}`,
  );

  return loaded;
};

type KrbEnv = Readonly<Record<string, string | undefined>>;

let gate: Promise<unknown> = Promise.resolve();

/**
 * Runs `task` with these environment variables set, one task at a time in
 * this process, then puts the old values back. MIT Kerberos reads its
 * credential cache and configuration (`KRB5CCNAME`, `KRB5_CONFIG`) from
 * the process environment, so two logons with different caches must not
 * overlap.
 *
 * @category utils
 */
export const withKrbEnv = <A>(
  env: KrbEnv,
  task: () => Promise<A>,
): Promise<A> => {
  const run = async (): Promise<A> => {
    const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
    const put = (
      entries: ReadonlyArray<readonly [string, string | undefined]>,
    ) => {
      for (const [k, v] of entries) {
        if (v === undefined) {
          Reflect.deleteProperty(process.env, k);
        } else {
          process.env[k] = v;
        }
      }
    };
    put(Object.entries(env));
    try {
      return await task();
    } finally {
      put(saved);
    }
  };
  const result = gate.then(run, run);
  gate = result.catch(() => undefined);

  return result;
};
