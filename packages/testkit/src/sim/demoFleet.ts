import { type Fleet, type FleetSpec, buildFleet } from './fleet.js';

/** The password every account of the demo fleet starts with. */
export const demoPasswords = {
  'svc-app': 'Old-Passw0rd!',
  'svc-other': 'Other-Passw0rd!',
} as const;

/**
 * The demo fleet's spec: domain CONTOSO (contoso.com); the rotated
 * account `svc-app` (user key `svc-app`, lockout threshold 5). On APP01:
 * `AppSvc` runs as `CONTOSO\svc-app` with the running `AppWorker`
 * depending on it; `ReportSvc` as `svc-app@contoso.com` is stopped;
 * `OtherSvc` runs as `CONTOSO\svc-other`; `GmsaSvc` runs as the gMSA
 * `CONTOSO\gmsa-app$`. On WEB01 (IIS): the task `\App\Nightly` (Password
 * logon, as `CONTOSO\svc-app`), the started pool `AppPool` (SpecificUser,
 * as `contoso.com\svc-app`), `DefaultAppPool` (ApplicationPoolIdentity)
 * and the `Spooler` service as LocalSystem.
 *
 * @category testing
 */
export const demoFleetSpec: FleetSpec = {
  domain: {
    netbios: 'CONTOSO',
    dns: 'contoso.com',
    upnSuffixes: ['contoso.example'],
    managedAccounts: ['gmsa-app$'],
    lockoutThreshold: 5,
    accounts: [{ sam: 'svc-other', password: demoPasswords['svc-other'] }],
  },
  users: [
    {
      key: 'svc-app',
      sam: 'svc-app',
      password: demoPasswords['svc-app'],
      scope: 'domain',
      passwordHostKey: 'app01',
    },
  ],
  hosts: [
    {
      key: 'app01',
      computerName: 'APP01',
      services: [
        {
          name: 'AppSvc',
          displayName: 'Contoso App',
          state: 'running',
          startMode: 'auto',
          account: 'CONTOSO\\svc-app',
          password: demoPasswords['svc-app'],
        },
        {
          name: 'AppWorker',
          displayName: 'Contoso App Worker',
          state: 'running',
          startMode: 'delayed-auto',
          account: 'LocalSystem',
          dependsOn: ['AppSvc'],
        },
        {
          name: 'ReportSvc',
          displayName: 'Contoso Reports',
          state: 'stopped',
          startMode: 'manual',
          account: 'svc-app@contoso.com',
          password: demoPasswords['svc-app'],
        },
        {
          name: 'OtherSvc',
          state: 'running',
          startMode: 'auto',
          account: 'CONTOSO\\svc-other',
          password: demoPasswords['svc-other'],
        },
        {
          name: 'GmsaSvc',
          state: 'running',
          startMode: 'auto',
          account: 'CONTOSO\\gmsa-app$',
        },
      ],
    },
    {
      key: 'web01',
      computerName: 'WEB01',
      iisInstalled: true,
      services: [
        {
          name: 'Spooler',
          displayName: 'Print Spooler',
          state: 'running',
          startMode: 'auto',
          account: 'LocalSystem',
        },
      ],
      tasks: [
        {
          path: '\\App\\Nightly',
          userId: 'CONTOSO\\svc-app',
          logonType: 'password',
          password: demoPasswords['svc-app'],
        },
      ],
      appPools: [
        {
          name: 'AppPool',
          identityType: 'specific-user',
          userName: 'contoso.com\\svc-app',
          password: demoPasswords['svc-app'],
          state: 'started',
        },
        { name: 'DefaultAppPool', state: 'started' },
      ],
    },
  ],
};

/**
 * A fresh demo fleet (see {@link demoFleetSpec}), for tests, the examples
 * and the CLI demo.
 *
 * @category testing
 */
export const demoFleet = (): Fleet => buildFleet(demoFleetSpec);
