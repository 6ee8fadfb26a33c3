import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asciiJson } from '@rotor/windows';
import { demoFleet } from '../sim/demoFleet.js';
import { executeOnSimHost, simScript } from '../sim/executeOnSimHost.js';
import { passwordArb, passwordPairArb } from './passwords.js';

const wellFormed = (s: string) =>
  !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(
    s,
  );

describe('passwordArb', () => {
  it('gives well-formed, non-blank strings that survive ASCII JSON', () => {
    fc.assert(
      fc.property(passwordArb(), (p) => {
        expect(wellFormed(p)).toBe(true);
        expect(p.trim()).not.toBe('');
        const wire = asciiJson({ password: p });
        expect(wire).toMatch(/^[\x20-\x7e]*$/);
        expect(JSON.parse(wire)).toEqual({ password: p });
      }),
      { numRuns: 300 },
    );
  });

  it('covers the hostile characters and non-ASCII', () => {
    const seen = fc.sample(passwordArb(), { numRuns: 500, seed: 42 }).join('');
    for (const c of ['"', "'", '$', '`', '%', '^', '&', ' ']) {
      expect(seen).toContain(c);
    }
    expect([...seen].some((c) => c.charCodeAt(0) > 0x7f)).toBe(true);
    expect(/[\ud800-\udbff]/.test(seen)).toBe(true);
  });

  it('pairs differ', () => {
    fc.assert(
      fc.property(passwordPairArb(), ([a, b]) => a !== b),
      { numRuns: 100 },
    );
  });

  it('reaches a simulated host intact and is never echoed back', () => {
    fc.assert(
      fc.property(passwordArb(), fc.boolean(), (p, exists) => {
        const password = `Zq9#${p}`;
        const host = demoFleet().hostByKey.get('app01');
        if (host === undefined) {
          throw new Error('demo fleet has no app01');
        }
        const out = executeOnSimHost(host, {
          script: simScript('set-service-credential'),
          input: asciiJson({
            name: exists ? 'AppSvc' : 'NoSuchSvc',
            account: 'CONTOSO\\svc-app',
            password,
          }),
        });
        expect(out.exitCode).toBe(exists ? 0 : 1);
        expect(out.stdout).not.toContain(password);
        expect(out.stdout).toMatch(/^([\x20-\x7e]*\r\n)+$/);
        if (exists) {
          expect(host.service('AppSvc')?.password).toBe(password);
        }
      }),
      { numRuns: 200 },
    );
  });
});
