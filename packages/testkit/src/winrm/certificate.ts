import { execFile } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * A TLS certificate and its key (PEM) for a test server, with the
 * certificate's SHA-256 fingerprint as lower-case hex.
 *
 * @category testing
 */
export interface TestCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  readonly sha256: string;
}

/** The SHA-256 fingerprint of a PEM certificate, lower-case hex. @category testing */
export const fingerprintOfPem = (pem: string): string =>
  new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();

/**
 * A fresh self-signed certificate for 127.0.0.1 and localhost (an EC
 * P-256 key, valid for two days), made with Debian's `openssl req`.
 *
 * @category testing
 */
export const generateTestCertificate = async (
  commonName = '127.0.0.1',
): Promise<TestCertificate> => {
  const dir = await mkdtemp(path.join(tmpdir(), 'rotor-winrm-cert-'));
  try {
    const keyFile = path.join(dir, 'key.pem');
    const certFile = path.join(dir, 'cert.pem');
    await promisify(execFile)(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '2',
        '-subj',
        `/CN=${commonName}`,
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { timeout: 20_000 },
    );
    const certPem = await readFile(certFile, 'utf8');

    return {
      certPem,
      keyPem: await readFile(keyFile, 'utf8'),
      sha256: fingerprintOfPem(certPem),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
