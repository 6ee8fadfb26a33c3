import { Secret } from '@rotor/core';
import {
  demoFleet,
  startSimSshServer,
  startSimWinrmServer,
  type Fleet,
} from '@rotor/testkit';
import type { AppAccount, AppRecords, AppServer } from './appRecords.js';

/** The demo fleet behind real servers, and the application's records of it. */
export interface SimulatedFleet {
  readonly fleet: Fleet;
  readonly records: AppRecords;
  readonly rotated: AppAccount;
  readonly adminPassword: Secret;
  readonly stop: () => Promise<void>;
}

const accountOf = (fleet: Fleet, key: string): AppAccount => {
  const user = key === 'admin' ? fleet.admin : fleet.users.get(key);
  if (user === undefined) {
    throw new Error(`the demo fleet has no ${key}`);
  }

  return {
    id: user.uid,
    name: user.title,
    login: user.login,
    domain: { netbios: 'CONTOSO', dns: 'contoso.com' },
    ...(user.passwordHostUid === undefined
      ? {}
      : { changedOn: user.passwordHostUid }),
  };
};

/**
 * Serves the testkit's demo fleet on 127.0.0.1: APP01 over SSH (ssh2) and
 * WEB01 over WinRM (HTTPS), each accepting the fleet's admin account, and
 * describes it as the embedding application would store it.
 */
export const startSimulatedFleet = async (): Promise<SimulatedFleet> => {
  const fleet = demoFleet();
  const adminPassword = Secret.of('admin-password');
  const users = [{ username: fleet.admin.login, password: adminPassword }];
  const byName = new Map([...fleet.machines.values()].map((m) => [m.name, m]));
  const app = fleet.hostByKey.get('app01');
  const web = fleet.hostByKey.get('web01');
  const appMachine = byName.get('APP01');
  const webMachine = byName.get('WEB01');
  if (!app || !web || !appMachine || !webMachine) {
    throw new Error('the demo fleet has no APP01 and WEB01');
  }
  const ssh = await startSimSshServer({ host: app, users });
  const winrm = await startSimWinrmServer({ host: web, users }).catch(
    async (e: unknown) => {
      await ssh.stop();
      throw e;
    },
  );
  const servers: AppServer[] = [
    {
      id: appMachine.uid,
      hostname: 'APP01',
      address: ssh.host,
      port: ssh.port,
      reachedBy: 'ssh',
      fingerprint: ssh.hostKeyFingerprint,
    },
    {
      id: webMachine.uid,
      hostname: 'WEB01',
      address: winrm.host,
      port: winrm.port,
      reachedBy: 'winrm',
      fingerprint: winrm.certificateFingerprint,
    },
  ];
  const admin = accountOf(fleet, 'admin');
  const rotated = accountOf(fleet, 'svc-app');
  const records: AppRecords = {
    gatewayId: fleet.gateway.uid,
    admin,
    servers,
    accounts: [rotated],
  };
  const stop = async () => {
    await Promise.all([ssh.stop(), winrm.stop()]);
  };

  return { fleet, records, rotated, adminPassword, stop };
};
