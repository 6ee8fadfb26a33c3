import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAccount, matchesAccount, type HostNames } from './account.js';

const label = fc.stringMatching(/^[A-Za-z][A-Za-z0-9-]{0,13}$/);
// Names of ordinary users: not spellings of a built-in account.
const userName = fc
  .stringMatching(/^[A-Za-z][A-Za-z0-9._-]{0,18}[A-Za-z0-9]$/)
  .filter((n) => classifyAccount(`${n}@x.example`) === 'candidate');

/** The same text with each letter's case chosen at random. */
const anyCase = (text: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
    .map((upper) =>
      Array.from(text, (c, i) =>
        upper[i] === true ? c.toUpperCase() : c.toLowerCase(),
      ).join(''),
    );

const world = fc
  .record({ computer: label, netbios: label, dnsLabel: label, name: userName })
  .filter(
    (w) =>
      w.computer.toUpperCase() !== w.netbios.toUpperCase() &&
      w.computer.toUpperCase() !== `${w.dnsLabel}.EXAMPLE`.toUpperCase(),
  )
  .map((w) => ({
    ...w,
    dns: `${w.dnsLabel}.example`,
    host: {
      computerName: w.computer,
      domain: { netbios: w.netbios, dns: `${w.dnsLabel}.example` },
    } satisfies HostNames,
  }));

describe('matchesAccount, for any host and name', () => {
  it('a local account matches .\\name and HOST\\name in any case, never a domain form', () => {
    fc.assert(
      fc.property(
        world.chain((w) =>
          fc.tuple(fc.constant(w), anyCase(w.name), anyCase(w.computer)),
        ),
        ([w, name, computer]) => {
          const target = { login: `.\\${w.name}`, scope: 'local' as const };

          expect(matchesAccount(`.\\${name}`, target, w.host)).toBe(true);
          expect(matchesAccount(`${computer}\\${name}`, target, w.host)).toBe(
            true,
          );
          expect(matchesAccount(`${w.netbios}\\${name}`, target, w.host)).toBe(
            false,
          );
          expect(matchesAccount(`${name}@${w.dns}`, target, w.host)).toBe(
            false,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a domain account matches NETBIOS\\name, dns\\name and name@dns in any case, never a local form', () => {
    fc.assert(
      fc.property(
        world.chain((w) =>
          fc.tuple(
            fc.constant(w),
            anyCase(w.name),
            anyCase(w.netbios),
            anyCase(w.dns),
          ),
        ),
        ([w, name, netbios, dns]) => {
          const target = {
            login: `${w.netbios}\\${w.name}`,
            scope: 'domain' as const,
          };

          expect(matchesAccount(`${netbios}\\${name}`, target, w.host)).toBe(
            true,
          );
          expect(matchesAccount(`${dns}\\${name}`, target, w.host)).toBe(true);
          expect(matchesAccount(`${name}@${dns}`, target, w.host)).toBe(true);
          expect(matchesAccount(`.\\${name}`, target, w.host)).toBe(false);
          expect(matchesAccount(`${w.computer}\\${name}`, target, w.host)).toBe(
            false,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a written name is never both the local and the domain account', () => {
    fc.assert(
      fc.property(world, fc.string({ maxLength: 40 }), (w, written) => {
        const asLocal = matchesAccount(
          written,
          { login: w.name, scope: 'local' },
          w.host,
        );
        const asDomain = matchesAccount(
          written,
          { login: `${w.netbios}\\${w.name}`, scope: 'domain' },
          w.host,
        );

        expect(asLocal && asDomain).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('another user name never matches', () => {
    fc.assert(
      fc.property(world, userName, (w, other) => {
        fc.pre(other.toUpperCase() !== w.name.toUpperCase());
        const target = {
          login: `${w.netbios}\\${w.name}`,
          scope: 'domain' as const,
        };

        expect(matchesAccount(`${w.netbios}\\${other}`, target, w.host)).toBe(
          false,
        );
      }),
      { numRuns: 200 },
    );
  });

  it('built-in, virtual and managed accounts never match any target', () => {
    const never = fc.oneof(
      fc.constantFrom('LocalSystem', '.\\LocalSystem', 'NT AUTHORITY\\SYSTEM'),
      userName.map((n) => `NT AUTHORITY\\${n}`),
      userName.map((n) => `NT SERVICE\\${n}`),
      fc.tuple(label, userName).map(([d, n]) => `${d}\\${n}$`),
    );
    fc.assert(
      fc.property(world, never, fc.boolean(), (w, written, isLocal) => {
        expect(classifyAccount(written)).not.toBe('candidate');
        const login = isLocal
          ? `.\\${written.split('\\').pop() ?? ''}`
          : written;
        expect(
          matchesAccount(
            written,
            { login, scope: isLocal ? 'local' : 'domain' },
            w.host,
          ),
        ).toBe(false);
      }),
      { numRuns: 200 },
    );
  });

  it('is total: no strings make it throw', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.string({ unit: 'binary', maxLength: 30 }),
        fc.string({ unit: 'binary', maxLength: 15 }),
        fc.boolean(),
        (written, login, computer, isLocal) => {
          expect(typeof classifyAccount(written)).toBe('string');
          expect(
            typeof matchesAccount(
              written,
              { login, scope: isLocal ? 'local' : 'domain' },
              { computerName: computer },
            ),
          ).toBe('boolean');
        },
      ),
      { numRuns: 300 },
    );
  });
});
