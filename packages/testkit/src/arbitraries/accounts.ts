import fc from 'fast-check';

/** The names a rotated account's forms are written from. @category testing */
export interface AccountNaming {
  readonly sam: string;
  readonly scope: 'domain' | 'local';
  /** For a local account: its host. For a domain one: any host. */
  readonly computerName: string;
  readonly netbios: string;
  readonly dns: string;
  readonly upnSuffixes: ReadonlyArray<string>;
}

/**
 * Every way Windows may write an account: `.\sam` and `HOST\sam` for a
 * local one; `NETBIOS\sam`, `dns\sam` and `sam@suffix` (for the DNS name
 * and every UPN suffix) for a domain one.
 *
 * @category testing
 */
export const writtenFormsOf = (a: AccountNaming): ReadonlyArray<string> =>
  a.scope === 'local'
    ? [`.\\${a.sam}`, `${a.computerName}\\${a.sam}`]
    : [
        `${a.netbios}\\${a.sam}`,
        `${a.dns}\\${a.sam}`,
        ...[a.dns, ...a.upnSuffixes].map((s) => `${a.sam}@${s}`),
      ];

/**
 * A string with the case of each letter chosen at random: Windows compares
 * account names case-insensitively.
 *
 * @category testing
 */
export const randomCaseArb = (s: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: s.length, maxLength: s.length })
    .map((flips) =>
      [...s]
        .map((c, i) => (flips[i] === true ? c.toUpperCase() : c.toLowerCase()))
        .join(''),
    );

/**
 * One written form of the account, in a random case.
 *
 * @category testing
 */
export const writtenFormArb = (a: AccountNaming): fc.Arbitrary<string> =>
  fc.constantFrom(...writtenFormsOf(a)).chain(randomCaseArb);

/**
 * A built-in account in one of its spellings, random case: LocalSystem,
 * LocalService, NetworkService.
 *
 * @category testing
 */
export const builtinAccountArb: fc.Arbitrary<string> = fc
  .constantFrom(
    'LocalSystem',
    'NT AUTHORITY\\SYSTEM',
    'NT AUTHORITY\\LocalService',
    'NT AUTHORITY\\LOCAL SERVICE',
    'NT AUTHORITY\\NetworkService',
    'NT AUTHORITY\\NETWORK SERVICE',
  )
  .chain(randomCaseArb);

/**
 * A virtual account, `NT SERVICE\…` (with a `$` instance separator at
 * times), in a random case.
 *
 * @category testing
 */
export const virtualAccountArb: fc.Arbitrary<string> = fc
  .constantFrom(
    'NT SERVICE\\MSSQL$SQLEXPRESS',
    'NT Service\\SQLAgent$SQLEXPRESS',
    'NT SERVICE\\AppHost',
    'NT SERVICE\\W3SVC',
  )
  .chain(randomCaseArb);

/**
 * A gMSA of the domain, `NETBIOS\name$`, in a random case.
 *
 * @category testing
 */
export const gmsaAccountArb = (netbios: string): fc.Arbitrary<string> =>
  fc
    .constantFrom('gmsa-app$', 'gmsa-sql$', 'svc-web$')
    .map((sam) => `${netbios}\\${sam}`)
    .chain(randomCaseArb);

/**
 * An account name of the shape Windows allows: a letter, then letters,
 * digits and hyphens.
 *
 * @category testing
 */
export const samArb: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('svc-app', 'svc-web', 'sqlsvc', 'batch-runner'),
  fc.stringMatching(/^[a-z][a-z0-9-]{2,11}$/),
);
