import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { ns } from './namespaces.js';
import { readReply, receiveChunkOf } from './responses.js';

// A ReceiveResponse with the bytes cut into chunks at arbitrary places (so
// multi-byte characters split), any prefix, and optional base64 line breaks.
const receiveXml = (
  prefix: string,
  chunks: ReadonlyArray<{ stream: 'stdout' | 'stderr'; bytes: Buffer }>,
  wrap: boolean,
  exitCode: number,
): string => {
  const streams = chunks
    .map(({ stream, bytes }) => {
      const b64 = bytes.toString('base64');
      const text = wrap ? b64.replace(/(.{60})/g, '$1\n') : b64;

      return `<${prefix}:Stream Name="${stream}" CommandId="C1">${text}</${prefix}:Stream>`;
    })
    .join('');

  return (
    `<env:Envelope xmlns:env="${ns.soap}" xmlns:${prefix}="${ns.shell}"><env:Body>` +
    `<${prefix}:ReceiveResponse>${streams}` +
    `<${prefix}:CommandState CommandId="C1" State="${ns.shell}/CommandState/Done">` +
    `<${prefix}:ExitCode>${exitCode}</${prefix}:ExitCode></${prefix}:CommandState>` +
    `</${prefix}:ReceiveResponse></env:Body></env:Envelope>`
  );
};

describe('receiveChunkOf', () => {
  it('joins bytes per stream in order, whatever the prefix, cuts and wrapping', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }),
        fc.string({ unit: 'grapheme', maxLength: 50 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.constantFrom('rsp', 'p', 'shell', 'x1'),
        fc.boolean(),
        fc.integer({ min: -2147483648, max: 2147483647 }),
        (out, err, cuts, prefix, wrap, exitCode) => {
          const outBytes = Buffer.from(out, 'utf8');
          const points = [
            ...new Set(cuts.map((c) => c % (outBytes.length + 1))),
          ].sort((a, b) => a - b);
          const pieces = [0, ...points, outBytes.length]
            .slice(1)
            .map((end, i, all) =>
              outBytes.subarray(i === 0 ? 0 : (all[i - 1] ?? 0), end),
            );
          const chunks = [
            ...pieces.map((bytes) => ({ stream: 'stdout' as const, bytes })),
            { stream: 'stderr' as const, bytes: Buffer.from(err, 'utf8') },
          ];
          const reply = readReply(receiveXml(prefix, chunks, wrap, exitCode));
          if (E.isLeft(reply)) {
            throw new Error(JSON.stringify(reply.left));
          }
          const chunk = receiveChunkOf(reply.right, 'C1');
          if (E.isLeft(chunk)) {
            throw new Error(chunk.left.message);
          }
          expect(chunk.right.stdout.toString('utf8')).toBe(out);
          expect(chunk.right.stderr.toString('utf8')).toBe(err);
          expect(chunk.right.done).toBe(true);
          expect(chunk.right.exitCode).toBe(exitCode);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads an unsigned crash code as the signed 32-bit value', () => {
    const reply = readReply(receiveXml('rsp', [], false, 3221225477));
    if (E.isLeft(reply)) {
      throw new Error('unparsed');
    }
    const chunk = receiveChunkOf(reply.right);
    expect(E.isRight(chunk) && chunk.right.exitCode).toBe(-1073741819);
  });
});
