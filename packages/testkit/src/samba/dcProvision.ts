import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Secret } from '@rotor/core';
import { makeDcCertificates, type DcCertificates } from './dcCertificates.js';
import type { DcNetwork } from './dcNetwork.js';
import { runProgram } from './runProgram.js';
import type { SambaPrograms } from './sambaPrograms.js';

const adminPasswordOf = (provisionLog: string): Secret => {
  const match = /Admin password:\s*(\S+)/.exec(provisionLog);
  if (match?.[1] === undefined) {
    throw new Error('samba-tool provision printed no admin password');
  }

  return Secret.of(match[1]);
};

const krb5ConfOf = (realm: string, dns: string, address: string) =>
  [
    '[libdefaults]',
    `    default_realm = ${realm}`,
    '    dns_lookup_realm = false',
    '    dns_lookup_kdc = false',
    '    rdns = false',
    '    dns_canonicalize_hostname = false',
    '[realms]',
    `    ${realm} = {`,
    `        kdc = ${address}`,
    `        admin_server = ${address}`,
    `        kpasswd_server = ${address}`,
    '    }',
    '[domain_realm]',
    `    .${dns} = ${realm}`,
    '',
  ].join('\n');

/** A program and its arguments, run inside the DC's network. */
type InNetwork = (
  file: string,
  args: ReadonlyArray<string>,
) => { readonly file: string; readonly args: ReadonlyArray<string> };

/** What {@link provisionDc} made. @category testing */
export interface ProvisionedDc {
  readonly smbConf: string;
  readonly adminPassword: Secret;
  readonly krb5Config: string;
  readonly tls: DcCertificates;
  readonly inNetwork: InNetwork;
}

/**
 * Provisions a domain into `dir/dc` with `samba-tool domain provision`
 * (trimmed services, every path inside `dir`, a random admin password read
 * from its output, never put on a command line), gives it a certificate of
 * its own for LDAPS, turns the old-password grace period off, and writes a
 * krb5.conf for the realm.
 *
 * @category testing
 */
export const provisionDc = async (p: {
  readonly programs: SambaPrograms;
  readonly network: DcNetwork;
  readonly dir: string;
  readonly realm: string;
  readonly netbios: string;
  readonly serverName: string;
  readonly deadline: number;
}): Promise<ProvisionedDc> => {
  const { programs, network, dir, realm, netbios, serverName, deadline } = p;
  const dnsDomain = realm.toLowerCase();
  const dc = join(dir, 'dc');
  const runDir = join(dir, 'run');
  await mkdir(runDir);
  await writeFile(join(dir, 'blank.conf'), '[global]\n');
  const tls = await makeDcCertificates(
    programs.openssl,
    dir,
    serverName,
    network.address,
  );
  if (typeof tls === 'string') {
    throw new Error(tls);
  }
  const inNetwork = (file: string, args: ReadonlyArray<string>) =>
    network.exec.length === 0
      ? { file, args }
      : {
          file: network.exec[0] ?? '',
          args: [...network.exec.slice(1), file, ...args],
        };
  const option = (o: string) => `--option=${o}`;
  const provision = inNetwork(programs.sambaTool, [
    'domain',
    'provision',
    '-s',
    join(dir, 'blank.conf'),
    '--use-rfc2307',
    `--realm=${realm}`,
    `--domain=${netbios}`,
    '--server-role=dc',
    '--dns-backend=SAMBA_INTERNAL',
    '--host-name=dc1',
    `--host-ip=${network.address}`,
    `--targetdir=${dc}`,
    option('netbios name=DC1'),
    option(`interfaces=${network.interfaces}`),
    option('bind interfaces only=yes'),
    option(`pid directory=${runDir}`),
    option(`ncalrpc dir=${join(runDir, 'ncalrpc')}`),
    option(`winbindd socket directory=${join(runDir, 'winbindd')}`),
    option(`ntp signd socket directory=${join(runDir, 'ntp_signd')}`),
    option(`log file=${join(runDir, 'log.%m')}`),
    option('dns forwarder=127.0.0.1'),
    option('server services=ldap cldap kdc dns'),
  ]);
  const provisioned = await runProgram(provision.file, provision.args, {
    timeoutMs: Math.max(1_000, deadline - Date.now()),
  });
  const provisionLog = `${provisioned.stdout}${provisioned.stderr}`;
  if (provisioned.code !== 0) {
    throw new Error(
      `samba-tool domain provision failed (${provisioned.code}): ${provisionLog.replace(/Admin password:.*/g, '')}`,
    );
  }
  const adminPassword = adminPasswordOf(provisionLog);
  const smbConf = join(dc, 'etc', 'smb.conf');
  const provisionedConf = await readFile(smbConf, 'utf8');
  // Provision drops a 0 here (it takes it for the default); without it
  // an old password keeps working over LDAP for an hour.
  const extra = [
    'old password allowed period = 0',
    'tls enabled = yes',
    `tls keyfile = ${tls.keyFile}`,
    `tls certfile = ${tls.certFile}`,
    `tls cafile = ${tls.caFile}`,
  ]
    .map((line) => `\t${line}`)
    .join('\n');
  await writeFile(
    smbConf,
    provisionedConf.replace(/^\[global\]$/m, `[global]\n${extra}`),
  );
  const krb5Config = join(dir, 'krb5.conf');
  await writeFile(krb5Config, krb5ConfOf(realm, dnsDomain, network.address));

  return { smbConf, adminPassword, krb5Config, tls, inNetwork };
};
