import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as E from 'fp-ts/lib/Either.js';
import type { Secret } from '@rotor/core';
import { provisionDc } from './dcProvision.js';
import {
  createNetns,
  loopbackNetwork,
  removeNetnsSync,
  type DcNetwork,
} from './dcNetwork.js';
import { ldapBindSync, type BindRefusal } from './ldapBindSync.js';
import {
  registerKerberosService,
  type SambaKerberosService,
} from './kerberosService.js';
import { findSambaPrograms } from './sambaPrograms.js';
import {
  sambaToolOf,
  type SambaPasswordPolicy,
  type SambaTool,
} from './sambaTool.js';

/**
 * Options of {@link startThrowawaySamba}.
 *
 * @category testing
 */
export interface ThrowawaySambaOptions {
  /** The Kerberos realm; its lower case is the DNS domain. CORP.EXAMPLE. */
  readonly realm?: string;
  /** The NetBIOS domain name. CORP. */
  readonly netbios?: string;
  /**
   * `netns`: a network namespace of its own (best isolated); `loopback`: a
   * 127.213.x.y address of the host; `auto` (default): netns when
   * `ip netns` works, else loopback.
   */
  readonly network?: 'auto' | 'netns' | 'loopback';
  /** The policy set once the DC is up; see {@link defaultTestPolicy}. */
  readonly policy?: SambaPasswordPolicy;
  /**
   * Host names (in the realm's DNS domain) to register `HTTP/<host>` for,
   * each with a keytab: see {@link ThrowawaySamba.kerberosServices}.
   */
  readonly kerberosServices?: ReadonlyArray<string>;
  /** How long start-up may take before it is abandoned; 90 s. */
  readonly startTimeoutMs?: number;
}

/**
 * The policy a test DC starts with: Windows' defaults except a minimum age
 * of 0 (so a test may change a password twice) and no lockout.
 *
 * @category testing
 */
export const defaultTestPolicy: SambaPasswordPolicy = {
  complexity: true,
  minLength: 7,
  history: 24,
  minAgeDays: 0,
  lockoutThreshold: 0,
};

/**
 * A running throw-away Samba AD DC. Its LDAPS certificate names its
 * address and `serverName` and is signed by `caFile`. Old passwords stop
 * working at once (`old password allowed period = 0`). `stop` ends the
 * server by pid, deletes its namespace and its folder.
 *
 * @category testing
 */
export interface ThrowawaySamba {
  readonly ldapsUrl: string;
  readonly address: string;
  readonly network: 'netns' | 'loopback';
  readonly realm: string;
  readonly netbios: string;
  /** The DNS domain, the realm in lower case. */
  readonly dnsDomain: string;
  readonly baseDn: string;
  readonly adminDn: string;
  readonly adminPassword: Secret;
  /** The CA that signed the DC's certificate. */
  readonly caFile: string;
  /** A CA that did not: pinning it must be refused. */
  readonly foreignCaFile: string;
  /** The DC's DNS name (the certificate's CN and a SAN). */
  readonly serverName: string;
  /**
   * A krb5.conf for this realm (use through `KRB5_CONFIG`): the DC as KDC,
   * no DNS look-ups, no host name canonicalisation, `.<dnsDomain>` mapped
   * to the realm, so a service name need not resolve anywhere.
   */
  readonly krb5Config: string;
  /** The services of the `kerberosServices` option, in its order. */
  readonly kerberosServices: ReadonlyArray<SambaKerberosService>;
  /**
   * Registers `service/host` (default `HTTP`) on a new service account and
   * exports its keytab into `dir`.
   */
  readonly addKerberosService: (
    host: string,
    service?: string,
  ) => Promise<SambaKerberosService>;
  readonly pid: number;
  /** The temporary folder of everything the DC wrote. */
  readonly dir: string;
  readonly tool: SambaTool;
  /** A synchronous LDAPS simple bind (see {@link ldapBindSync}). */
  readonly bindSync: (
    login: string,
    password: Secret,
  ) => E.Either<BindRefusal, void>;
  /** What the server logged so far. */
  readonly log: () => string;
  /** Stops the DC and cleans up what was started for it. */
  readonly stop: () => Promise<void>;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, ms));

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null;

const waitForExit = async (child: ChildProcess, ms: number) => {
  const until = Date.now() + ms;
  while (!exited(child) && Date.now() < until) {
    await sleep(50);
  }

  return exited(child);
};

const chooseNetwork = async (
  wanted: 'auto' | 'netns' | 'loopback',
  ip: string | undefined,
): Promise<DcNetwork> => {
  if (wanted === 'loopback') {
    return loopbackNetwork();
  }
  const netns =
    ip === undefined ? 'the ip program is missing' : await createNetns(ip);
  if (typeof netns !== 'string') {
    return netns;
  }
  if (wanted === 'netns') {
    throw new Error(`cannot create a network namespace: ${netns}`);
  }

  return loopbackNetwork();
};

/**
 * Provisions and starts a Samba AD domain controller in a temporary folder:
 * `samba-tool domain provision` (a random admin password, read from its
 * output, never put on a command line), a certificate of its own for
 * LDAPS, `samba -F -M single` with only the ldap, cldap, kdc and dns
 * services, then waits until LDAPS answers with that certificate and sets
 * `policy`. Everything started is undone when start-up fails. Needs root
 * and Samba (see `findSambaPrograms`); the process is also told to exit
 * after an hour and is killed when this process exits, in case a test
 * run leaks it.
 *
 * @example
 * let dc: ThrowawaySamba;
 * beforeAll(async () => { dc = await startThrowawaySamba(); }, 120_000);
 * afterAll(() => dc.stop());
 *
 * @category testing
 */
export const startThrowawaySamba = async (
  options: ThrowawaySambaOptions = {},
): Promise<ThrowawaySamba> => {
  const programs = findSambaPrograms();
  if (typeof programs === 'string') {
    throw new Error(`cannot start a Samba AD DC: ${programs}`);
  }
  const realm = (options.realm ?? 'CORP.EXAMPLE').toUpperCase();
  const netbios = (options.netbios ?? 'CORP').toUpperCase();
  const dnsDomain = realm.toLowerCase();
  const baseDn = dnsDomain
    .split('.')
    .map((part) => `DC=${part}`)
    .join(',');
  const serverName = `dc1.${dnsDomain}`;
  const deadline = Date.now() + (options.startTimeoutMs ?? 90_000);
  const dir = await mkdtemp(join(tmpdir(), 'rotor-samba-'));
  const undo: Array<() => Promise<void>> = [
    () => rm(dir, { recursive: true, force: true }),
  ];
  const cleanUp = async () => {
    for (const step of undo.splice(0).reverse()) {
      await step().catch(() => undefined);
    }
  };
  try {
    const network = await chooseNetwork(options.network ?? 'auto', programs.ip);
    undo.push(network.remove);
    const onExit = () => {
      if (network.namespace !== undefined && programs.ip !== undefined) {
        removeNetnsSync(programs.ip, network.namespace);
      }
    };
    process.once('exit', onExit);
    undo.push(() => {
      process.off('exit', onExit);

      return Promise.resolve();
    });
    const { smbConf, adminPassword, krb5Config, tls, inNetwork } =
      await provisionDc({
        programs,
        network,
        dir,
        realm,
        netbios,
        serverName,
        deadline,
      });

    const logFile = join(dir, 'samba.log');
    const logFd = openSync(logFile, 'a');
    const start = inNetwork(programs.samba, [
      '-F',
      '--debug-stdout',
      '-M',
      'single',
      '--maximum-runtime=3600',
      '-s',
      smbConf,
    ]);
    const child = spawn(start.file, start.args, {
      stdio: ['ignore', logFd, logFd],
      env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8' },
    });
    closeSync(logFd);
    const pid = child.pid;
    if (pid === undefined) {
      throw new Error('samba did not start');
    }
    const killOnExit = () => {
      if (!exited(child)) {
        process.kill(pid, 'SIGKILL');
      }
    };
    process.once('exit', killOnExit);
    undo.push(async () => {
      process.off('exit', killOnExit);
      if (!exited(child)) {
        process.kill(pid, 'SIGTERM');
        if (!(await waitForExit(child, 10_000))) {
          process.kill(pid, 'SIGKILL');
          await waitForExit(child, 5_000);
        }
      }
    });
    const log = () => {
      try {
        return readFileSync(logFile, 'utf8');
      } catch {
        return '';
      }
    };

    const ldapsUrl = `ldaps://${network.address}`;
    const target = {
      ldapsearch: programs.ldapsearch,
      url: ldapsUrl,
      caFile: tls.caFile,
      timeoutMs: 5_000,
    };
    const adminDn = `CN=Administrator,CN=Users,${baseDn}`;
    let ready = false;
    let lastRefusal = '';
    while (!ready) {
      if (exited(child)) {
        throw new Error(`samba exited during start-up:\n${log().slice(-2000)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(
          `LDAPS did not answer in time (${lastRefusal}):\n${log().slice(-2000)}`,
        );
      }
      const bound = ldapBindSync(target, adminDn, adminPassword);
      ready = bound._tag === 'Right';
      if (bound._tag === 'Left') {
        lastRefusal = `${bound.left.ldapCode}: ${bound.left.message}`;
        await sleep(100);
      }
    }
    const tool = sambaToolOf(
      programs.sambaTool,
      smbConf,
      join(dir, 'dc', 'private', 'sam.ldb'),
    );
    await tool.setPasswordPolicy(options.policy ?? defaultTestPolicy);
    const addKerberosService = (host: string, service?: string) =>
      registerKerberosService(tool, dir, host, service);
    const kerberosServices: SambaKerberosService[] = [];
    for (const host of options.kerberosServices ?? []) {
      kerberosServices.push(await addKerberosService(host));
    }

    return {
      ldapsUrl,
      address: network.address,
      network: network.kind,
      realm,
      netbios,
      dnsDomain,
      baseDn,
      adminDn,
      adminPassword,
      caFile: tls.caFile,
      foreignCaFile: tls.foreignCaFile,
      serverName,
      krb5Config,
      kerberosServices,
      addKerberosService,
      pid,
      dir,
      tool,
      bindSync: (login, password) => ldapBindSync(target, login, password),
      log,
      stop: cleanUp,
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
};
