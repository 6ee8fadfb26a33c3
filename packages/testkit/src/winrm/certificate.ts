import * as x509 from '@peculiar/x509';
import { X509Certificate, randomBytes, webcrypto } from 'node:crypto';

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
 * P-256 key, valid for two days), made in process with `@peculiar/x509`
 * over Node's WebCrypto, so no `openssl` program is needed.
 *
 * @category testing
 */
export const generateTestCertificate = async (
  commonName = '127.0.0.1',
): Promise<TestCertificate> => {
  const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(algorithm, true, [
    'sign',
    'verify',
  ]);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: randomBytes(8).toString('hex'),
      name: `CN=${commonName}`,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 2 * 24 * 3600_000),
      keys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.SubjectAlternativeNameExtension([
          { type: 'ip', value: '127.0.0.1' },
          { type: 'dns', value: 'localhost' },
        ]),
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      ],
    },
    webcrypto as unknown as Parameters<
      typeof x509.X509CertificateGenerator.createSelfSigned
    >[1],
  );
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  const certPem = cert.toString('pem');

  return { certPem, keyPem, sha256: fingerprintOfPem(certPem) };
};
