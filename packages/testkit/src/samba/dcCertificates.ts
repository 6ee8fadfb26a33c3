import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runProgram } from './runProgram.js';

/** The TLS files of a throw-away DC. @category testing */
export interface DcCertificates {
  /** The CA that signed the DC's certificate (what clients pin). */
  readonly caFile: string;
  /** A CA that signed nothing of the DC's: pinning it must fail. */
  readonly foreignCaFile: string;
  readonly certFile: string;
  /** The private key, mode 0600 (Samba refuses a readable one). */
  readonly keyFile: string;
}

const run = async (
  openssl: string,
  args: ReadonlyArray<string>,
): Promise<string | undefined> => {
  const result = await runProgram(openssl, args, { timeoutMs: 60_000 });

  return result.code === 0
    ? undefined
    : `openssl ${args[0] ?? ''}: ${result.stderr.trim()}`;
};

const selfSignedCa = (
  openssl: string,
  dir: string,
  name: string,
): Promise<string | undefined> =>
  run(openssl, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    join(dir, `${name}.key`),
    '-out',
    join(dir, `${name}.pem`),
    '-days',
    '3',
    '-subj',
    `/CN=rotor throw-away ${name}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);

/**
 * Makes a CA and a server certificate for the DC whose subject alternative
 * names are its DNS name and its IP address, so a client verifies it by
 * either (Samba's own certificate names the host only in its CN), plus a
 * second, unrelated CA for tests of a wrong pin. RSA 2048, valid 3 days.
 *
 * @category testing
 */
export const makeDcCertificates = async (
  openssl: string,
  dir: string,
  hostName: string,
  address: string,
): Promise<DcCertificates | string> => {
  const keyFile = join(dir, 'dc.key');
  const csr = join(dir, 'dc.csr');
  const extensions = join(dir, 'dc.ext');
  await writeFile(
    extensions,
    [
      `subjectAltName=DNS:${hostName},IP:${address}`,
      'extendedKeyUsage=serverAuth',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'basicConstraints=CA:FALSE',
      '',
    ].join('\n'),
  );
  const steps: ReadonlyArray<() => Promise<string | undefined>> = [
    () => selfSignedCa(openssl, dir, 'ca'),
    () => selfSignedCa(openssl, dir, 'foreign-ca'),
    () =>
      run(openssl, [
        'req',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        csr,
        '-subj',
        `/CN=${hostName}`,
      ]),
    () =>
      run(openssl, [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        join(dir, 'ca.pem'),
        '-CAkey',
        join(dir, 'ca.key'),
        '-CAcreateserial',
        '-out',
        join(dir, 'dc.pem'),
        '-days',
        '3',
        '-extfile',
        extensions,
      ]),
  ];
  for (const step of steps) {
    const failed = await step();
    if (failed !== undefined) {
      return failed;
    }
  }
  await chmod(keyFile, 0o600);

  return {
    caFile: join(dir, 'ca.pem'),
    foreignCaFile: join(dir, 'foreign-ca.pem'),
    certFile: join(dir, 'dc.pem'),
    keyFile,
  };
};
