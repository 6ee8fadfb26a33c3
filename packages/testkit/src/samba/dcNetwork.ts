import { spawnSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { runProgram } from './runProgram.js';

/**
 * Where a throw-away DC listens: on its own address in a network namespace
 * created for it (reached over a veth pair), or on a 127.x loopback
 * address of the host.
 *
 * @category testing
 */
export interface DcNetwork {
  readonly kind: 'netns' | 'loopback';
  /** The DC's IPv4 address. */
  readonly address: string;
  /** Samba's `interfaces` value. */
  readonly interfaces: string;
  /** The command prefix that runs a program inside the namespace. */
  readonly exec: ReadonlyArray<string>;
  /** The namespace's name, for a netns. */
  readonly namespace?: string;
  /** Removes the namespace (and with it the veth pair); idempotent. */
  readonly remove: () => Promise<void>;
}

const inUse = (ip: string, prefix: string): Promise<boolean> =>
  runProgram(ip, ['-o', '-4', 'addr', 'show']).then((r) =>
    r.stdout.includes(` ${prefix}`),
  );

/**
 * Creates a namespace `rotor-dc-<random>` with the DC's end of a veth pair
 * at 10.213.<n>.<m+2>/30 and the host's at <m+1>; a /30 already on the
 * host is avoided. Fails (left as a message) when `ip netns` is refused.
 *
 * @category testing
 */
export const createNetns = async (ip: string): Promise<DcNetwork | string> => {
  const tag = randomBytes(3).toString('hex');
  const namespace = `rotor-dc-${tag}`;
  const hostSide = `rdh${tag}`;
  const dcSide = `rdn${tag}`;
  let third = 0;
  let fourth = 0;
  for (let tries = 0; tries < 8; tries++) {
    third = randomInt(0, 256);
    fourth = randomInt(0, 64) * 4;
    if (!(await inUse(ip, `10.213.${third}.${fourth + 1}/`))) {
      break;
    }
  }
  const hostAddress = `10.213.${third}.${fourth + 1}`;
  const address = `10.213.${third}.${fourth + 2}`;
  const inside = ['netns', 'exec', namespace, ip];
  const steps: ReadonlyArray<ReadonlyArray<string>> = [
    ['netns', 'add', namespace],
    ['link', 'add', hostSide, 'type', 'veth', 'peer', 'name', dcSide],
    ['link', 'set', dcSide, 'netns', namespace],
    ['addr', 'add', `${hostAddress}/30`, 'dev', hostSide],
    ['link', 'set', hostSide, 'up'],
    [...inside, 'addr', 'add', `${address}/30`, 'dev', dcSide],
    [...inside, 'link', 'set', dcSide, 'up'],
    [...inside, 'link', 'set', 'lo', 'up'],
  ];
  let removed = false;
  const remove = async () => {
    if (removed) {
      return;
    }
    removed = true;
    await runProgram(ip, ['netns', 'del', namespace]);
    await runProgram(ip, ['link', 'del', hostSide]);
  };
  for (const step of steps) {
    const result = await runProgram(ip, step);
    if (result.code !== 0) {
      await remove();

      return `ip ${step.slice(0, 2).join(' ')}: ${result.stderr.trim()}`;
    }
  }
  const network: DcNetwork = {
    kind: 'netns',
    address,
    interfaces: `lo ${dcSide}`,
    exec: [ip, 'netns', 'exec', namespace],
    namespace,
    remove,
  };

  return network;
};

/**
 * A random 127.213.x.y address on the host's loopback (Linux answers the
 * whole 127/8 without configuration); nothing to remove.
 *
 * @category testing
 */
export const loopbackNetwork = (): DcNetwork => {
  const address = `127.213.${randomInt(0, 256)}.${randomInt(2, 255)}`;

  return {
    kind: 'loopback',
    address,
    interfaces: `${address}/8`,
    exec: [],
    remove: () => Promise.resolve(),
  };
};

/**
 * Deletes a namespace synchronously, for a process-exit handler.
 *
 * @category testing
 */
export const removeNetnsSync = (ip: string, namespace: string): void => {
  spawnSync(ip, ['netns', 'del', namespace], { stdio: 'ignore' });
};
