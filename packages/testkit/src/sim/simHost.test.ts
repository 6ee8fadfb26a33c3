import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { restartService } from './restartService.js';
import {
  setServiceCredential,
  startService,
  stopService,
} from './serviceControl.js';
import { SimDomain } from './simDomain.js';
import { SimHost } from './simHost.js';
import type { SimServiceSpec } from './simTypes.js';

const domain = () =>
  new SimDomain({
    netbios: 'CONTOSO',
    dns: 'contoso.com',
    accounts: [{ sam: 'svc-app', password: 'pw', lockoutThreshold: 5 }],
  });

const hostWith = (services: SimServiceSpec[], d = domain()) =>
  new SimHost({
    computerName: 'APP01',
    domain: d,
    localAccounts: [{ sam: 'svc-app', password: 'local-pw' }],
    services,
  });

const code = (e: E.Either<{ code: number }, unknown>) =>
  E.isLeft(e) ? e.left.code : 0;

const svc = (
  name: string,
  more: Partial<SimServiceSpec> = {},
): SimServiceSpec => ({
  name,
  account: 'CONTOSO\\svc-app',
  password: 'pw',
  ...more,
});

describe('SimHost services', () => {
  it('starts a service whose stored password matches its account', () => {
    const host = hostWith([svc('A')]);
    expect(code(startService(host, 'a'))).toBe(0);
    expect(host.service('A')?.state).toBe('running');
    expect(host.counters({ kind: 'service', name: 'A' }).starts).toBe(1);
  });

  it('fails with 1069 and counts a bad logon when the password is stale', () => {
    const d = domain();
    const host = hostWith([svc('A', { password: 'stale' })], d);
    expect(code(startService(host, 'A'))).toBe(1069);
    expect(host.service('A')?.state).toBe('stopped');
    expect(d.accounts.get('svc-app')?.badLogons).toBe(1);
  });

  it('locks the domain account out after repeated failed starts', () => {
    const d = domain();
    const host = hostWith([svc('A', { password: 'stale' })], d);
    for (let i = 0; i < 5; i++) {
      startService(host, 'A');
    }
    expect(d.accounts.get('svc-app')?.locked).toBe(true);
    setServiceCredential(host, 'A', 'CONTOSO\\svc-app', 'pw');
    expect(code(startService(host, 'A'))).toBe(1069);
  });

  it('logs on local names against the local account, not the domain one', () => {
    const d = domain();
    const host = hostWith(
      [
        svc('L1', { account: '.\\svc-app', password: 'local-pw' }),
        svc('L2', { account: 'APP01\\svc-app', password: 'pw' }),
      ],
      d,
    );
    expect(code(startService(host, 'L1'))).toBe(0);
    expect(code(startService(host, 'L2'))).toBe(1069);
    expect(host.localAccounts.get('svc-app')?.badLogons).toBe(1);
    expect(d.accounts.get('svc-app')?.badLogons).toBe(0);
  });

  it.each([
    'LocalSystem',
    'NT AUTHORITY\\NetworkService',
    'NT SERVICE\\MSSQL$X',
    'CONTOSO\\gmsa-sql$',
  ])('starts %s with no password at all', (account) => {
    const host = hostWith([{ name: 'B', account }]);
    expect(code(startService(host, 'B'))).toBe(0);
  });

  it('needs dependencies running (1068) and refuses disabled (1058)', () => {
    const host = hostWith([
      svc('Base'),
      svc('Top', { dependsOn: ['base'] }),
      svc('Off', { startMode: 'disabled' }),
    ]);
    expect(code(startService(host, 'Top'))).toBe(1068);
    expect(code(startService(host, 'Off'))).toBe(1058);
    startService(host, 'Base');
    expect(code(startService(host, 'Top'))).toBe(0);
    expect(code(startService(host, 'Top'))).toBe(1056);
  });

  it('refuses to stop a service with running dependents (1051)', () => {
    const host = hostWith([
      svc('Base', { state: 'running' }),
      svc('Top', { state: 'running', dependsOn: ['Base'] }),
    ]);
    expect(code(stopService(host, 'Base'))).toBe(1051);
    expect(code(stopService(host, 'Top'))).toBe(0);
    expect(code(stopService(host, 'Base'))).toBe(0);
    expect(code(stopService(host, 'Base'))).toBe(1062);
    expect(code(stopService(host, 'Nope'))).toBe(1060);
  });

  it('stores a credential without checking it', () => {
    const host = hostWith([svc('A', { state: 'running' })]);
    expect(code(setServiceCredential(host, 'A', 'CONTOSO\\svc-app', 'x'))).toBe(
      0,
    );
    expect(host.service('A')?.password).toBe('x');
    expect(host.service('A')?.account).toBe('CONTOSO\\svc-app');
    expect(host.service('A')?.state).toBe('running');
  });

  it('takes the account as written, and refuses one that does not resolve', () => {
    const host = hostWith([svc('A', { account: 'svc-app@contoso.com' })]);
    setServiceCredential(host, 'A', 'CONTOSO\\svc-app', 'pw2');
    expect(host.service('A')?.account).toBe('CONTOSO\\svc-app');
    const refused = setServiceCredential(host, 'A', 'WORKGROUP\\svc-app', 'x');
    expect(code(refused)).toBe(22);
    expect(host.service('A')?.password).toBe('pw2');
  });

  it('journals every step without passwords', () => {
    const host = hostWith([svc('A')]);
    setServiceCredential(host, 'A', 'CONTOSO\\svc-app', 'S3cret!');
    startService(host, 'A');
    const journal = host.journal();
    expect(journal.map((j) => [j.action, j.ok, j.code])).toEqual([
      ['set-service-credential', true, undefined],
      ['start-service', false, 1069],
    ]);
    expect(JSON.stringify(journal)).not.toContain('S3cret!');
  });
});

describe('restartService', () => {
  const chain = () =>
    hostWith([
      svc('Base', { state: 'running' }),
      svc('Mid', { state: 'running', dependsOn: ['Base'] }),
      svc('Leaf', { state: 'running', dependsOn: ['Mid'] }),
      svc('Idle', { state: 'stopped', dependsOn: ['Base'] }),
    ]);

  it('stops running dependents, restarts, and starts them again', () => {
    const host = chain();
    const outcome = restartService(host, 'Base');
    expect(outcome).toEqual(E.right(['Mid', 'Leaf']));
    for (const name of ['Base', 'Mid', 'Leaf']) {
      expect(host.service(name)?.state).toBe('running');
      expect(host.counters({ kind: 'service', name }).starts).toBe(1);
    }
    expect(host.service('Idle')?.state).toBe('stopped');
    expect(host.counters({ kind: 'service', name: 'Idle' }).starts).toBe(0);
    expect(
      host
        .journal()
        .filter((j) => j.action === 'stop-service')
        .map((j) => j.dependent?.name),
    ).toEqual(['Leaf', 'Mid', 'Base']);
  });

  it('never starts a stopped service', () => {
    const host = chain();
    expect(code(restartService(host, 'Idle'))).toBe(1062);
    expect(host.service('Idle')?.state).toBe('stopped');
    expect(host.journal()).toEqual([]);
  });

  it('does not stop a running service whose start mode is Disabled', () => {
    const host = hostWith([
      svc('D', { state: 'running', startMode: 'disabled' }),
    ]);
    expect(code(restartService(host, 'D'))).toBe(1058);
    expect(host.service('D')?.state).toBe('running');
  });

  it('waits out a pending state, and times out when stuck', () => {
    const host = hostWith([
      svc('P', { state: 'start-pending' }),
      svc('S', { state: 'stop-pending', stuck: true }),
    ]);
    expect(E.isRight(restartService(host, 'P'))).toBe(true);
    expect(host.service('P')?.state).toBe('running');
    expect(code(restartService(host, 'S'))).toBe(1053);
  });

  it('fails with 1069 and leaves dependents stopped on a bad password', () => {
    const host = chain();
    setServiceCredential(host, 'Base', 'CONTOSO\\svc-app', 'wrong');
    expect(code(restartService(host, 'Base'))).toBe(1069);
    expect(host.service('Base')?.state).toBe('stopped');
    expect(host.service('Mid')?.state).toBe('stopped');
  });

  it('stops at the first dependent that does not come back', () => {
    const host = chain();
    setServiceCredential(host, 'Mid', 'CONTOSO\\svc-app', 'wrong');
    const outcome = restartService(host, 'Base');
    expect(E.isLeft(outcome) && outcome.left).toMatchObject({
      code: 1069,
      underlying: 1326,
    });
    expect(E.isLeft(outcome) && outcome.left.message).toContain('Mid');
    expect(host.service('Base')?.state).toBe('running');
    expect(host.service('Leaf')?.state).toBe('stopped');
  });

  it('does not restart a paused service, nor cycle a disabled dependent', () => {
    const host = hostWith([
      svc('Base', { state: 'running' }),
      svc('Dep', {
        state: 'running',
        startMode: 'disabled',
        dependsOn: ['Base'],
      }),
      svc('Held', { state: 'paused' }),
    ]);
    expect(code(restartService(host, 'Held'))).toBe(1062);
    expect(code(restartService(host, 'Base'))).toBe(1058);
    expect(host.journal()).toEqual([]);
  });
});
