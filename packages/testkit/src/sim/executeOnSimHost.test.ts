import { describe, expect, it } from 'vitest';
import {
  EnvelopeCodec,
  RawEnumerateResultCodec,
  type OperationName,
  readStdout,
} from '@rotor/windows';
import { demoFleet, demoPasswords } from './demoFleet.js';
import { executeOnSimHost, simScript } from './executeOnSimHost.js';
import type { SimHost } from './simHost.js';
import { ps51Quirks, type PsQuirks } from './simTypes.js';

const hosts = () => {
  const fleet = demoFleet();
  const get = (key: string): SimHost => {
    const h = fleet.hostByKey.get(key);
    if (h === undefined) {
      throw new Error(key);
    }

    return h;
  };

  return { fleet, app: get('app01'), web: get('web01') };
};

const exec = (
  host: SimHost,
  op: OperationName,
  input: unknown,
  quirks?: PsQuirks,
) => {
  const out = executeOnSimHost(
    host,
    { script: simScript(op), input: JSON.stringify(input) },
    quirks === undefined ? {} : { quirks },
  );
  const envelope: unknown = readStdout(out.stdout).document;

  return { out, envelope: envelope as Record<string, unknown> };
};

const errorOf = (envelope: Record<string, unknown>) =>
  (envelope['error'] as { code: number; name: string; message: string }).code;

const nameOf = (envelope: Record<string, unknown>) =>
  (envelope['error'] as { name: string }).name;

const newPw = 'N3w "pa$$" `x` %P% ^&| é€😀';

describe('executeOnSimHost envelopes', () => {
  it('prints one ASCII-only envelope and exit code 0 on success', () => {
    const { app } = hosts();
    const { out, envelope } = exec(app, 'enumerate-dependents', {
      kinds: ['service'],
    });
    expect(out.exitCode).toBe(0);
    // LANGMODE, BEGIN, the envelope and END, each an ASCII line.
    expect(out.stdout).toMatch(
      /^##rotor LANGMODE FullLanguage\r\n##rotor BEGIN\r\n\{[\x20-\x7e]*\}\r\n##rotor END\r\n$/,
    );
    expect(EnvelopeCodec.is(envelope)).toBe(true);
    expect(envelope['ok']).toBe(true);
  });

  it('answers bad input with error 87 naming fields, never values', () => {
    const { app } = hosts();
    const { out, envelope } = exec(app, 'set-service-credential', {
      name: 'AppSvc',
      password: 'Leak-Me-1',
    });
    expect(out.exitCode).toBe(1);
    expect(EnvelopeCodec.is(envelope)).toBe(true);
    expect(errorOf(envelope)).toBe(87);
    expect(out.stdout).toContain('account');
    expect(out.stdout).not.toContain('Leak-Me-1');
    expect(app.service('AppSvc')?.password).toBe(demoPasswords['svc-app']);
  });

  it('answers input that is not JSON, and a script that is no operation', () => {
    const { app } = hosts();
    const notJson = executeOnSimHost(app, {
      script: simScript('test-logon'),
      input: '{"account": "x", "password": "Leak-Me-2"',
    });
    expect(notJson.exitCode).toBe(1);
    expect(notJson.stdout).not.toContain('Leak-Me-2');
    const noOp = executeOnSimHost(app, { script: 'Get-Process', input: '{}' });
    expect(noOp.exitCode).toBe(1);
    expect(readStdout(noOp.stdout).document).toMatchObject({
      ok: false,
      error: { code: 1 },
    });
  });

  it('never echoes a password in an error', () => {
    const { app } = hosts();
    const { out } = exec(app, 'set-service-credential', {
      name: 'Missing',
      account: 'CONTOSO\\svc-app',
      password: 'Leak-Me-3',
    });
    expect(out.exitCode).toBe(1);
    expect(out.stdout).not.toContain('Leak-Me-3');
  });
});

describe('enumerate-dependents', () => {
  it('returns every service, task and pool with raw fields', () => {
    const { web } = hosts();
    const { envelope } = exec(web, 'enumerate-dependents', {
      kinds: ['service', 'task', 'iis'],
    });
    const result = envelope['result'];
    expect(RawEnumerateResultCodec.is(result)).toBe(true);
    expect(result).toMatchObject({
      ComputerName: 'WEB01',
      DomainNetbios: 'CONTOSO',
      DomainDns: 'contoso.com',
      IisInstalled: true,
      Services: [
        { Name: 'Spooler', State: 'Running', StartName: 'LocalSystem' },
      ],
      Tasks: [
        {
          TaskPath: '\\App\\',
          TaskName: 'Nightly',
          UserId: 'CONTOSO\\svc-app',
          LogonType: 'Password',
          State: 'Ready',
        },
      ],
      AppPools: [
        {
          Name: 'AppPool',
          IdentityType: 'SpecificUser',
          UserName: 'contoso.com\\svc-app',
          State: 'Started',
        },
        { Name: 'DefaultAppPool', IdentityType: 'ApplicationPoolIdentity' },
      ],
    });
  });

  it('gives delayed auto start and direct dependents', () => {
    const { app } = hosts();
    const { envelope } = exec(app, 'enumerate-dependents', {
      kinds: ['service'],
    });
    const services = (envelope['result'] as { Services: unknown[] }).Services;
    expect(services).toHaveLength(5);
    expect(services).toContainEqual(
      expect.objectContaining({
        Name: 'AppSvc',
        StartMode: 'Auto',
        DelayedAutoStart: false,
        DependentServices: [{ Name: 'AppWorker', State: 'Running' }],
      }),
    );
    expect(services).toContainEqual(
      expect.objectContaining({
        Name: 'AppWorker',
        StartMode: 'Auto',
        DelayedAutoStart: true,
      }),
    );
  });

  it('prints PowerShell 5.1 shapes when the quirks are on', () => {
    const { web } = hosts();
    const { envelope } = exec(
      web,
      'enumerate-dependents',
      { kinds: ['service', 'task'] },
      ps51Quirks,
    );
    expect(envelope['result']).toMatchObject({
      Services: {
        Name: 'Spooler',
        State: 4,
        StartMode: 2,
        DependentServices: null,
      },
      Tasks: { TaskName: 'Nightly', LogonType: 1, State: 3 },
      AppPools: null,
    });
  });

  it('adds a BOM and CLIXML progress on stderr when asked', () => {
    const { web } = hosts();
    const { out } = exec(
      web,
      'enumerate-dependents',
      { kinds: ['iis'] },
      { bom: true, clixmlProgress: true },
    );
    expect(out.stdout.startsWith('\ufeff##rotor LANGMODE')).toBe(true);
    expect(out.stderr.startsWith('#< CLIXML')).toBe(true);
    expect(out.exitCode).toBe(0);
  });

  it('reports IIS absent with no pools', () => {
    const { app } = hosts();
    const { envelope } = exec(app, 'enumerate-dependents', { kinds: ['iis'] });
    expect(envelope['result']).toMatchObject({
      IisInstalled: false,
      AppPools: [],
    });
  });
});

describe('credential and restart operations', () => {
  it('set-service-credential stores a non-ASCII password sent escaped', () => {
    const { app } = hosts();
    const out = executeOnSimHost(app, {
      script: simScript('set-service-credential'),
      input: JSON.stringify({
        name: 'appsvc',
        account: 'CONTOSO\\svc-app',
        password: newPw,
      }).replace(
        /[\u007f-\uffff]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      ),
    });
    expect(out.exitCode).toBe(0);
    expect(app.service('AppSvc')?.password).toBe(newPw);
  });

  it('restart-service restarts with running dependents', () => {
    const { app } = hosts();
    const { out, envelope } = exec(app, 'restart-service', {
      name: 'AppSvc',
      timeoutSeconds: 30,
    });
    expect(out.exitCode).toBe(0);
    expect(envelope['result']).toEqual({ DependentsRestarted: ['AppWorker'] });
    expect(app.service('AppWorker')?.state).toBe('running');
  });

  it('restart-service answers 1062 for a stopped service and 1069 for a bad password', () => {
    const { fleet, app } = hosts();
    expect(
      errorOf(
        exec(app, 'restart-service', { name: 'ReportSvc', timeoutSeconds: 5 })
          .envelope,
      ),
    ).toBe(1062);
    fleet.domain?.setPassword('svc-app', 'changed');
    const { envelope } = exec(app, 'restart-service', {
      name: 'AppSvc',
      timeoutSeconds: 5,
    });
    expect(envelope['error']).toMatchObject({
      code: 1069,
      name: 'ERROR_SERVICE_LOGON_FAILED',
    });
  });

  it('set-task-credential verifies the password and honours the logon type', () => {
    const { fleet, web } = hosts();
    const input = (
      path: string,
      password: string,
      account = 'CONTOSO\\svc-app',
    ) => ({
      path,
      account,
      password,
    });
    const bad = exec(
      web,
      'set-task-credential',
      input('\\App\\Nightly', 'not-it'),
    );
    expect(bad.envelope['error']).toMatchObject({
      code: -2147023570,
      name: 'ERROR_LOGON_FAILURE',
    });
    expect(fleet.domain?.accounts.get('svc-app')?.badLogons).toBe(1);
    fleet.domain?.setPassword('svc-app', newPw);
    const good = exec(
      web,
      'set-task-credential',
      input('\\app\\nightly', newPw, 'svc-app@contoso.com'),
    );
    expect(good.envelope).toEqual({
      ok: true,
      result: { Path: '\\app\\nightly' },
    });
    expect(web.task('\\App\\Nightly')).toMatchObject({
      password: newPw,
      userId: 'svc-app@contoso.com',
    });
    web.tasks.set('\\s4u', {
      path: '\\S4u',
      userId: 'CONTOSO\\svc-app',
      logonType: 's4u',
      password: undefined,
      state: 'ready',
    });
    expect(
      nameOf(exec(web, 'set-task-credential', input('\\S4u', newPw)).envelope),
    ).toBe('NoStoredPassword');
    expect(
      exec(web, 'set-task-credential', input('\\Nope', newPw)).envelope[
        'error'
      ],
    ).toMatchObject({ code: -2147024894, name: 'ERROR_FILE_NOT_FOUND' });
    expect(
      errorOf(
        exec(web, 'set-task-credential', input('App\\Nightly', newPw)).envelope,
      ),
    ).toBe(87);
    expect(
      nameOf(
        exec(
          web,
          'set-task-credential',
          input('\\App\\Nightly', newPw, 'CONTOSO\\svc-other'),
        ).envelope,
      ),
    ).toBe('AccountChanged');
    expect(
      errorOf(
        exec(
          web,
          'set-task-credential',
          input('\\App\\Nightly', newPw, 'CONTOSO\\gmsa-app$'),
        ).envelope,
      ),
    ).toBe(1057);
    web.taskPasswordsBlocked = true;
    expect(
      exec(web, 'set-task-credential', input('\\App\\Nightly', newPw)).envelope[
        'error'
      ],
    ).toMatchObject({ code: -2147023584, name: 'ERROR_NO_SUCH_LOGON_SESSION' });
  });

  it('set-apppool-credential only for SpecificUser; recycle only if started', () => {
    const { web, app } = hosts();
    const input = (name: string) => ({
      name,
      account: 'CONTOSO\\svc-app',
      password: 'p',
    });
    expect(
      exec(web, 'set-apppool-credential', input('AppPool')).envelope,
    ).toEqual({ ok: true, result: { Name: 'AppPool' } });
    expect(web.appPool('AppPool')).toMatchObject({
      userName: 'CONTOSO\\svc-app',
      password: 'p',
    });
    expect(
      nameOf(
        exec(web, 'set-apppool-credential', input('DefaultAppPool')).envelope,
      ),
    ).toBe('NotSpecificUser');
    expect(
      nameOf(exec(web, 'set-apppool-credential', input('Nope')).envelope),
    ).toBe('AppPoolNotFound');
    expect(
      nameOf(exec(app, 'set-apppool-credential', input('AppPool')).envelope),
    ).toBe('IisNotInstalled');
    expect(
      exec(web, 'recycle-apppool', { name: 'DefaultAppPool' }).envelope[
        'result'
      ],
    ).toEqual({ Recycled: true });
    const pool = web.appPool('DefaultAppPool');
    if (pool !== undefined) {
      pool.state = 'stopped';
    }
    expect(
      exec(web, 'recycle-apppool', { name: 'DefaultAppPool' }).envelope[
        'result'
      ],
    ).toEqual({ Recycled: false });
    expect(web.counters({ kind: 'iis', name: 'DefaultAppPool' }).recycles).toBe(
      1,
    );
    expect(
      errorOf(exec(web, 'recycle-apppool', { name: 'Pool*' }).envelope),
    ).toBe(87);
  });

  it('recycling a pool whose password is wrong stops it and costs a logon', () => {
    const { fleet, web } = hosts();
    exec(web, 'set-apppool-credential', {
      name: 'AppPool',
      account: 'CONTOSO\\svc-app',
      password: 'wrong',
    });
    const { envelope } = exec(web, 'recycle-apppool', { name: 'AppPool' });
    expect(envelope['result']).toEqual({ Recycled: true });
    expect(web.appPool('AppPool')?.state).toBe('stopped');
    expect(fleet.domain?.accounts.get('svc-app')?.badLogons).toBe(1);
  });
});

describe('account operations', () => {
  it('change-domain-password changes it through a joined host', () => {
    const { fleet, app } = hosts();
    const { out } = exec(app, 'change-domain-password', {
      account: 'svc-app',
      password: newPw,
    });
    expect(out.exitCode).toBe(0);
    expect(fleet.domain?.accounts.get('svc-app')?.password).toBe(newPw);
    expect(
      errorOf(
        exec(app, 'change-domain-password', { account: 'ghost', password: 'x' })
          .envelope,
      ),
    ).toBe(1317);
    expect(
      errorOf(
        exec(app, 'change-domain-password', {
          account: 'CONTOSO\\svc-app',
          password: 'x',
        }).envelope,
      ),
    ).toBe(87);
    app.activeDirectoryModule = false;
    expect(
      nameOf(
        exec(app, 'change-domain-password', {
          account: 'svc-app',
          password: 'x',
        }).envelope,
      ),
    ).toBe('ActiveDirectoryModuleMissing');
  });

  it('change-local-password changes a local account only', () => {
    const { app } = hosts();
    app.localAccounts.add({ sam: 'svc-local', password: 'a' });
    expect(
      exec(app, 'change-local-password', {
        account: 'svc-local',
        password: 'b',
      }).out.exitCode,
    ).toBe(0);
    expect(app.localAccounts.get('svc-local')?.password).toBe('b');
    expect(
      exec(app, 'change-local-password', {
        account: 'svc-app',
        password: 'b',
      }).envelope['error'],
    ).toMatchObject({ code: -2147022675, name: 'NERR_UserNotFound' });
  });

  it('test-logon accepts the right password and counts wrong ones', () => {
    const { fleet, app } = hosts();
    const ok = exec(app, 'test-logon', {
      account: 'CONTOSO\\svc-app',
      password: demoPasswords['svc-app'],
    });
    expect(ok.envelope).toEqual({ ok: true, result: { LoggedOn: true } });
    const bad = exec(app, 'test-logon', {
      account: 'CONTOSO\\svc-app',
      password: 'nope',
    });
    expect(bad.envelope['error']).toMatchObject({
      code: 1326,
      name: 'ERROR_LOGON_FAILURE',
    });
    expect(fleet.domain?.accounts.get('svc-app')?.badLogons).toBe(1);
    expect(JSON.stringify(app.journal())).not.toContain('nope');
  });
});
