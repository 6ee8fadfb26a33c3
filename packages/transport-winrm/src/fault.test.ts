import { describe, expect, it } from 'vitest';
import { classifyFault, describeFault, type WsmanFault } from './fault.js';
import {
  certificateSha256,
  normalizeCertificateFingerprint,
  tlsPolicyOf,
} from './tlsTrust.js';
import { classifyHttpError } from './transportError.js';

const fault = (over: Partial<WsmanFault>): WsmanFault => ({
  _tag: 'WsmanFault',
  code: 'Sender',
  subcode: undefined,
  reason: undefined,
  wsmanCode: undefined,
  wmiCode: undefined,
  summary: 'request refused',
  ...over,
});

describe('fault classification beyond the fixtures', () => {
  it.each([
    ['access denied', 2147942405, 'LogonRefused', false],
    ['command line too long', 2147942606, 'CommandRefused', false],
    ['shell not found', 2150858843, 'CommandRefused', true],
    ['envelope too large', undefined, 'OutputTooLarge', false],
  ] as const)('%s', (summary, wsmanCode, code, transient) => {
    expect(classifyFault(fault({ summary, wsmanCode }))).toEqual({
      code,
      transient,
    });
  });

  it('describes a fault with our reason, the code and the server text', () => {
    expect(
      describeFault(
        fault({
          summary: 'quota exceeded',
          wmiCode: 2150859173,
          reason: 'Too many shells.',
        }),
      ),
    ).toBe('quota exceeded (WS-Man code 2150859173): Too many shells.');
  });
});

describe('HTTP errors', () => {
  it.each([
    ['ECONNREFUSED', 'Unreachable', true],
    ['ENOTFOUND', 'Unreachable', true],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TlsMismatch', false],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TlsMismatch', false],
    ['ROTOR_TLS_PIN', 'TlsMismatch', false],
    ['ROTOR_TIMEOUT', 'Timeout', true],
    ['EPROTO', 'ProtocolError', true],
  ] as const)('%s is %s', (code, kind, transient) => {
    const error = Object.assign(new Error('x'), { code });
    expect(classifyHttpError(error, 'm', 'h:5986')).toMatchObject({
      code: kind,
      transient,
    });
  });
});

describe('certificate pins', () => {
  const der = Buffer.from('not really a certificate');
  const hex = certificateSha256(der);

  it('accepts hex with colons, plain hex and SHA256:base64 alike', () => {
    const colons = hex.toUpperCase().replace(/(..)(?!$)/g, '$1:');
    const b64 = `SHA256:${Buffer.from(hex, 'hex').toString('base64')}`;
    for (const form of [colons, hex, b64]) {
      expect(normalizeCertificateFingerprint(form)).toBe(hex);
    }
    expect(normalizeCertificateFingerprint('abc')).toBeUndefined();
  });

  it('prefers a pin over a CA file, and skips checks only when asked', () => {
    expect(tlsPolicyOf({ certificateFingerprint: hex, caFile: '/x' })).toEqual({
      policy: { _tag: 'Pinned', sha256: hex },
    });
    expect(tlsPolicyOf({ caFile: '/x', insecureSkipVerify: true })).toEqual({
      policy: { _tag: 'CaFile', file: '/x' },
    });
    expect(tlsPolicyOf({ insecureSkipVerify: true })).toEqual({
      policy: { _tag: 'Insecure' },
    });
    expect(tlsPolicyOf(undefined)).toEqual({ policy: { _tag: 'SystemCa' } });
    expect(tlsPolicyOf({ certificateFingerprint: 'nope' })).toHaveProperty(
      'error',
    );
  });
});
