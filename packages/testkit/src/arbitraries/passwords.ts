import fc from 'fast-check';

const printableAscii = fc
  .integer({ min: 0x20, max: 0x7e })
  .map((c) => String.fromCharCode(c));

/** Characters that break quoting in cmd.exe, PowerShell or JSON. */
const hostile = fc.constantFrom(
  '"',
  "'",
  '$',
  '`',
  '%',
  '^',
  '&',
  ' ',
  '|',
  '<',
  '>',
  '\\',
  '!',
  ';',
  '(',
  ')',
  '{',
  '}',
  '@',
  '#',
  ',',
);

const nonAscii = fc.oneof(
  fc.constantFrom('é', 'ß', 'ü', '€', '£', 'ñ', 'Ω', 'ё', '中', '文', '\u00a0'),
  // The BMP without ASCII, C1 controls or surrogates.
  fc.integer({ min: 0xa1, max: 0xd7ff }).map((c) => String.fromCharCode(c)),
  // Beyond the BMP: a surrogate pair in UTF-16, four bytes in UTF-8.
  fc
    .integer({ min: 0x10000, max: 0x10ffff })
    .map((c) => String.fromCodePoint(c)),
);

/**
 * One character of a password: printable ASCII most of the time, often a
 * character that breaks shell or JSON quoting, sometimes non-ASCII
 * (including beyond the BMP).
 *
 * @category testing
 */
export const passwordCharArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: printableAscii },
  { weight: 3, arbitrary: hostile },
  { weight: 2, arbitrary: nonAscii },
);

/**
 * A password: 1 to `maxLength` (default 32) characters of
 * {@link passwordCharArb}, never only spaces.
 *
 * @category testing
 */
export const passwordArb = (
  options: { readonly minLength?: number; readonly maxLength?: number } = {},
): fc.Arbitrary<string> =>
  fc
    .array(passwordCharArb, {
      minLength: options.minLength ?? 1,
      maxLength: options.maxLength ?? 32,
    })
    .map((chars) => chars.join(''))
    .filter((p) => p.trim() !== '');

/**
 * Two different passwords: the current one and the next.
 *
 * @category testing
 */
export const passwordPairArb = (): fc.Arbitrary<readonly [string, string]> =>
  fc
    .tuple(passwordArb(), passwordArb())
    .filter(([current, next]) => current !== next);
