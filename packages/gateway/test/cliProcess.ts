// Test fixture: `rotor` run as a child process (built, or from the
// repository's TypeScript sources: see cliEntry.ts), and a simulated fleet
// behind ssh2 servers on loopback with latency, that the child reaches
// through the inventory.
import { Secret, type RemoteResult } from '@rotor/core';
import {
  executeOnSimHost,
  generateTestKey,
  startSimSshServer,
  type Fleet,
  type SimRequest,
  type SimSshServer,
} from '@rotor/testkit';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { cliEntry } from './cliEntry.js';
import { oldPassword } from './fleetJob.js';

const entry = cliEntry();

const adminPassword = 'admin-password';
const env = {
  ROTOR_TEST_ADMIN_PASSWORD: adminPassword,
  ROTOR_TEST_USER_PASSWORD: oldPassword,
};

// ssh2's generated ed25519 keys fail to parse now and then ("Malformed
// OpenSSH private key"); a few tries get a usable one.
const hostKey = (): string => {
  for (let i = 0; ; i++) {
    try {
      return generateTestKey('rotor-gateway-test').privateKey;
    } catch (error: unknown) {
      if (i >= 9) {
        throw error;
      }
    }
  }
};

/** A fleet served over SSH; `requests` counts operations received. */
export interface ServedFleet {
  readonly servers: ReadonlyArray<SimSshServer>;
  readonly requests: () => number;
  readonly stop: () => Promise<void>;
}

/**
 * What `serveFleet` asks of the test as each operation arrives: `n` is the
 * running count of operations, `server` the host's server. The operation
 * waits for the returned promise (and the latency); when it resolves to
 * `gone`, the sender is known to be dead and the host does not run it.
 */
export type OnRequest = (
  n: number,
  server: SimSshServer,
) => undefined | Promise<'gone' | 'here'>;

/**
 * Serves each host of `fleet` on its own ssh2 server. Every operation waits
 * `latencyMs` and what `onRequest` returns before the host runs it; an
 * operation whose sender `onRequest` found dead is dropped, as a command
 * in flight from a killed process never reaches its host.
 */
export const serveFleet = async (
  fleet: Fleet,
  latencyMs: number,
  onRequest: OnRequest,
): Promise<ServedFleet> => {
  let count = 0;
  const servers: SimSshServer[] = [];
  const dropped: RemoteResult = {
    stdout: '',
    stderr: 'the client went away\r\n',
    exitCode: 1,
  };
  for (const host of fleet.hosts.values()) {
    const server: SimSshServer = await startSimSshServer({
      hostKey: hostKey(),
      handler: async (request: SimRequest) => {
        count += 1;
        const [sender] = await Promise.all([
          onRequest(count, server),
          new Promise((r) => setTimeout(r, latencyMs)),
        ]);

        return sender === 'gone' ? dropped : executeOnSimHost(host, request);
      },
      users: [
        { username: fleet.admin.login, password: Secret.of(adminPassword) },
      ],
    });
    servers.push(server);
  }

  return {
    servers,
    requests: () => count,
    stop: async () => {
      await Promise.all(servers.map((s) => s.stop()));
    },
  };
};

/**
 * Writes the inventory (JSON, which is YAML) of a served fleet and a
 * secrets key file into `dir`.
 */
export const writeInventory = (
  dir: string,
  fleet: Fleet,
  served: ServedFleet,
): void => {
  const machines = [...fleet.machines.values()];
  const doc = {
    gateways: [{ uid: fleet.gateway.uid, name: fleet.gateway.name }],
    machines: machines.map((m, i) => ({
      uid: m.uid,
      name: m.name,
      host: '127.0.0.1',
      port: served.servers[i]?.port,
      protocol: 'ssh',
      os: m.os,
      gateway: fleet.gateway.name,
      admin: fleet.admin.title,
      trust: { hostKeyFingerprint: served.servers[i]?.hostKeyFingerprint },
    })),
    users: [fleet.admin, ...fleet.users.values()].map((u) => ({
      uid: u.uid,
      title: u.title,
      login: u.login,
      scope: u.scope,
      ...(u.domain === undefined ? {} : { domain: u.domain }),
      ...(u.passwordHostUid === undefined
        ? {}
        : {
            passwordHost: machines.find((m) => m.uid === u.passwordHostUid)
              ?.name,
          }),
      password: {
        env:
          u.uid === fleet.admin.uid
            ? 'ROTOR_TEST_ADMIN_PASSWORD'
            : 'ROTOR_TEST_USER_PASSWORD',
      },
    })),
  };
  writeFileSync(join(dir, 'rotor.yaml'), JSON.stringify(doc, null, 2));
  const key = join(dir, 'rotor.key');
  writeFileSync(key, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
  chmodSync(key, 0o600);
};

/** A `rotor` child process and what it printed. */
export interface Rotor {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly output: () => string;
  readonly exited: Promise<unknown>;
}

/**
 * Starts `rotor <args>` in `dir` against its inventory, secrets and key,
 * and `store` (the SQLite file in `dir` when absent).
 */
export const startRotor = (
  dir: string,
  args: ReadonlyArray<string>,
  store: string = join(dir, 'rotor.db'),
): Rotor => {
  const child = spawn(
    process.execPath,
    [
      ...entry.nodeArgs,
      '--store',
      store,
      '--inventory',
      join(dir, 'rotor.yaml'),
      '--secrets',
      join(dir, 'rotor-secrets.json'),
      '--secret-key-file',
      join(dir, 'rotor.key'),
      ...args,
    ],
    {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    },
  );
  if (child.pid === undefined) {
    throw new Error('rotor did not start');
  }
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));

  return {
    child,
    pid: child.pid,
    output: () => output,
    exited: once(child, 'exit'),
  };
};

/** Whether the children run the built CLI or its TypeScript sources. */
export const rotorEntryKind = entry.kind;

/** Waits until `check` holds, polling; fails after `timeoutMs`. */
export const waitUntil = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await check()) {
      return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** Kills a child by pid (when it still runs) and waits for its exit. */
export const killRotor = async (
  rotor: Rotor,
  signal: NodeJS.Signals,
): Promise<void> => {
  if (rotor.child.exitCode === null && rotor.child.signalCode === null) {
    process.kill(rotor.pid, signal);
  }
  await rotor.exited;
};
