import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Secret } from '@rotor/core';
import type { SambaTool } from './sambaTool.js';

/**
 * A Kerberos service registered in a throw-away DC: the account that holds
 * its SPN, the keytab exported for it, and its GSS host-based name (what
 * `kerberos.initializeServer` and a client's `servicePrincipal` take).
 *
 * @category testing
 */
export interface SambaKerberosService {
  readonly account: string;
  /** `HTTP/win1.corp.example`. */
  readonly spn: string;
  /** `HTTP@win1.corp.example`. */
  readonly servicePrincipal: string;
  readonly keytab: string;
}

/**
 * Registers `service/host` on a service account of its own (created with a
 * random password) and exports its keys to `dir/<service>-<host>.keytab`
 * with `samba-tool domain exportkeytab`. The account has no
 * `msDS-SupportedEncryptionTypes`, so the KDC issues RC4 tickets for it,
 * which MIT Kerberos 1.20 still accepts.
 *
 * @category testing
 */
export const registerKerberosService = async (
  tool: SambaTool,
  dir: string,
  host: string,
  service = 'HTTP',
): Promise<SambaKerberosService> => {
  const label = (host.split('.')[0] ?? 'host').replace(/[^A-Za-z0-9-]/g, '');
  const account = `svc-${label}`.slice(0, 20);
  const password = Secret.of(`Kt-${randomBytes(18).toString('base64url')}9`);
  await tool.createUser(account, password);
  const spn = `${service}/${host}`;
  const added = await tool.run(['spn', 'add', spn, account]);
  if (added.code !== 0) {
    throw new Error(`samba-tool spn add ${spn} failed: ${added.stderr}`);
  }
  const keytab = join(dir, `${service}-${host}.keytab`);
  const exported = await tool.runWithConfig([
    'domain',
    'exportkeytab',
    keytab,
    `--principal=${spn}`,
  ]);
  if (exported.code !== 0) {
    throw new Error(
      `samba-tool domain exportkeytab ${spn} failed: ${exported.stdout}${exported.stderr}`,
    );
  }

  return { account, spn, servicePrincipal: `${service}@${host}`, keytab };
};
