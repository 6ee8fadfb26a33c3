import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { readStderr } from './clixml.js';
import { decodeOutput } from './decode.js';
import { operationNames } from './protocol.js';

const jsonish = fc.oneof(
  fc.json().map((j) => j),
  fc.jsonValue().map((v) => JSON.stringify({ ok: true, result: v })),
  fc.jsonValue().map((v) => JSON.stringify({ ok: false, error: v })),
  fc.string({ unit: 'binary', maxLength: 60 }),
);

const stderrish = fc.oneof(
  fc.constant(''),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc
    .array(
      fc.tuple(
        fc.constantFrom('Error', 'warning', 'verbose', 'progress'),
        fc.string({ maxLength: 20 }),
      ),
      { maxLength: 4 },
    )
    .map(
      (records) =>
        `#< CLIXML\r\n<Objs Version="1.1.0.1">${records.map(([s, text]) => `<S S="${s}">${text}</S>`).join('')}</Objs>`,
    ),
);

describe('decodeOutput, for any output', () => {
  it('never throws, and a failure never carries stdout', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...operationNames),
        jsonish,
        stderrish,
        fc.integer({ min: -5, max: 5 }),
        (operation, stdout, stderr, exitCode) => {
          const decoded = decodeOutput(operation, { stdout, stderr, exitCode });
          if (
            E.isLeft(decoded) &&
            decoded.left._tag === 'OutputInvalid' &&
            stdout.length > 12
          ) {
            expect(decoded.left.reason.includes(stdout)).toBe(false);
          }
          if (E.isLeft(decoded)) {
            expect(decoded.left.operation).toBe(operation);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an Error record on stderr is a failure whatever stdout and the exit code say', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...operationNames),
        fc.stringMatching(/^[A-Za-z ]{1,30}$/),
        (operation, text) => {
          const decoded = decodeOutput(operation, {
            stdout: JSON.stringify({ ok: true, result: {} }),
            stderr: `#< CLIXML\r\n<Objs Version="1.1.0.1"><S S="Error">${text}_x000D__x000A_</S></Objs>`,
            exitCode: 0,
          });

          expect(E.isLeft(decoded)).toBe(true);
          expect(
            readStderr(`#< CLIXML\n<Objs><S S="Error">${text}</S></Objs>`)
              .errors,
          ).toEqual([text]);
        },
      ),
      { numRuns: 100 },
    );
  });
});
