/**
 * How an account name, as Windows wrote it on a service, task or pool,
 * resolves on one host: to a local account, a domain account, a built-in
 * account, a virtual account (`NT SERVICE\…`, `IIS APPPOOL\…`), a managed
 * service account (`…$`), a bare name Windows looks up locally first, or
 * nothing.
 *
 * @category testing
 */
export type ResolvedAccount =
  | { readonly kind: 'local'; readonly sam: string }
  | { readonly kind: 'domain'; readonly sam: string }
  | { readonly kind: 'unqualified'; readonly sam: string }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'virtual'; readonly name: string }
  | { readonly kind: 'managed'; readonly sam: string }
  | { readonly kind: 'unknown' };

/** The names a host and its domain go by. @category testing */
export interface NameContext {
  readonly computerName: string;
  readonly domain?: {
    readonly netbios: string;
    readonly dns: string;
    readonly upnSuffixes: ReadonlyArray<string>;
  };
}

const builtinSpellings = new Map<string, string>(
  [
    ['localsystem', 'LocalSystem'],
    ['.\\localsystem', 'LocalSystem'],
    ['system', 'LocalSystem'],
    ['nt authority\\system', 'LocalSystem'],
    ['localservice', 'LocalService'],
    ['local service', 'LocalService'],
    ['nt authority\\localservice', 'LocalService'],
    ['nt authority\\local service', 'LocalService'],
    ['networkservice', 'NetworkService'],
    ['network service', 'NetworkService'],
    ['nt authority\\networkservice', 'NetworkService'],
    ['nt authority\\network service', 'NetworkService'],
  ].map(([k, v]) => [k as string, v as string]),
);

const virtualAuthorities = new Set(['nt service', 'iis apppool']);

const same = (a: string, b: string): boolean =>
  a.toLowerCase() === b.toLowerCase();

/**
 * Whether a written name is a built-in account (LocalSystem, LocalService,
 * NetworkService, in any of their spellings), which has no password.
 *
 * @category testing
 */
export const builtinAccountOf = (written: string): string | undefined =>
  builtinSpellings.get(written.toLowerCase());

const domainPart = (
  authority: string,
  sam: string,
  context: NameContext,
): ResolvedAccount => {
  if (authority === '.' || same(authority, context.computerName)) {
    return { kind: 'local', sam };
  }
  const domain = context.domain;
  if (
    domain !== undefined &&
    (same(authority, domain.netbios) || same(authority, domain.dns))
  ) {
    return sam.endsWith('$')
      ? { kind: 'managed', sam }
      : { kind: 'domain', sam };
  }

  return { kind: 'unknown' };
};

const upn = (
  sam: string,
  suffix: string,
  context: NameContext,
): ResolvedAccount => {
  const domain = context.domain;
  const suffixes =
    domain === undefined ? [] : [domain.dns, ...domain.upnSuffixes];
  if (sam === '' || !suffixes.some((s) => same(s, suffix))) {
    return { kind: 'unknown' };
  }

  return sam.endsWith('$') ? { kind: 'managed', sam } : { kind: 'domain', sam };
};

/**
 * Resolves a written account name the way Windows does on the host named
 * by `context`. Names are compared case-insensitively and never trimmed or
 * repaired: `.\svc.` is not `.\svc`. `.` stands for the computer only,
 * never for a domain; `WORKGROUP\x` resolves to nothing.
 *
 * @category testing
 */
export const resolveAccount = (
  written: string,
  context: NameContext,
): ResolvedAccount => {
  const builtin = builtinAccountOf(written);
  if (builtin !== undefined) {
    return { kind: 'builtin', name: builtin };
  }
  const slash = written.indexOf('\\');
  if (slash >= 0) {
    const authority = written.slice(0, slash);
    const sam = written.slice(slash + 1);
    if (virtualAuthorities.has(authority.toLowerCase())) {
      return { kind: 'virtual', name: written };
    }
    if (sam === '' || sam.includes('\\') || sam.includes('@')) {
      return { kind: 'unknown' };
    }

    return domainPart(authority, sam, context);
  }
  const at = written.lastIndexOf('@');
  if (at >= 0) {
    return upn(written.slice(0, at), written.slice(at + 1), context);
  }
  if (written === '') {
    return { kind: 'unknown' };
  }

  return { kind: 'unqualified', sam: written };
};
