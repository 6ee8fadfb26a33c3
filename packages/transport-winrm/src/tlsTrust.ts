import type { Trust } from '@rotor/core';
import { createHash } from 'node:crypto';

/**
 * How a host's certificate is checked: by the system CAs, by a CA file's
 * certificates, by a pinned SHA-256 fingerprint of the certificate, or not
 * at all (`Insecure`, only on the explicit `insecureSkipVerify`).
 *
 * @category model
 */
export type TlsPolicy =
  | { readonly _tag: 'SystemCa' }
  | { readonly _tag: 'CaFile'; readonly file: string }
  | { readonly _tag: 'Pinned'; readonly sha256: string }
  | { readonly _tag: 'Insecure' };

/**
 * A SHA-256 fingerprint as lower-case hex: accepts `AB:CD:…` (as Node and
 * `openssl x509 -fingerprint` print it), plain hex, or `SHA256:` + base64.
 * `undefined` when it is none of these.
 *
 * @category utils
 */
export const normalizeCertificateFingerprint = (
  text: string,
): string | undefined => {
  const trimmed = text.trim().replace(/^sha256[:=]/i, '');
  const hex = trimmed.replace(/[:\s]/g, '').toLowerCase();
  if (/^[0-9a-f]{64}$/.test(hex)) {
    return hex;
  }
  const raw = Buffer.from(trimmed, 'base64');

  return raw.length === 32 && /^[A-Za-z0-9+/]{43}=?$/.test(trimmed)
    ? raw.toString('hex')
    : undefined;
};

/** The SHA-256 fingerprint of a DER certificate, lower-case hex. @category utils */
export const certificateSha256 = (der: Uint8Array): string =>
  createHash('sha256').update(der).digest('hex');

/**
 * The policy of a machine's trust settings; a pin wins over a CA file, and
 * `insecureSkipVerify` only applies when neither is set. `Left` with a
 * reason for a pin that is not a SHA-256 fingerprint.
 *
 * @category utils
 */
export const tlsPolicyOf = (
  trust: Trust | undefined,
): { readonly policy: TlsPolicy } | { readonly error: string } => {
  if (trust?.certificateFingerprint !== undefined) {
    const sha256 = normalizeCertificateFingerprint(
      trust.certificateFingerprint,
    );

    return sha256 === undefined
      ? { error: 'trust.certificateFingerprint is not a SHA-256 fingerprint' }
      : { policy: { _tag: 'Pinned', sha256 } };
  }
  if (trust?.caFile !== undefined) {
    return { policy: { _tag: 'CaFile', file: trust.caFile } };
  }
  if (trust?.insecureSkipVerify === true) {
    return { policy: { _tag: 'Insecure' } };
  }

  return { policy: { _tag: 'SystemCa' } };
};
