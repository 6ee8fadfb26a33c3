import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  decodeOutput,
  operationScript,
  readStdout,
  remoteCommand,
} from '@rotor/windows';
import { demoFleet, demoPasswords } from './demoFleet.js';
import { executeOnSimHost } from './executeOnSimHost.js';
import { SimHost } from './simHost.js';

const app = (): SimHost => {
  const host = demoFleet().hostByKey.get('app01');
  if (host === undefined) {
    throw new Error('app01');
  }

  return host;
};

const newPassword = 'N3w-Grüße-€42!';

describe('the simulated host prints what the bootstrap and scripts print', () => {
  it('W21: echoes the nonce of a real command, and refuses a script whose SHA-256 is not the one sent', () => {
    const host = app();
    const command = remoteCommand('set-service-credential', {
      name: 'AppSvc',
      account: 'CONTOSO\\svc-app',
      password: newPassword,
    });
    const good = executeOnSimHost(host, command);

    expect(readStdout(good.stdout).document).toMatchObject({
      ok: true,
      nonce: command.nonce,
    });
    expect(
      E.isRight(decodeOutput('set-service-credential', good, command)),
    ).toBe(true);

    const again = remoteCommand('set-service-credential', {
      name: 'AppSvc',
      account: 'CONTOSO\\svc-app',
      password: 'Other-Passw0rd!',
    });
    const tampered = executeOnSimHost(host, {
      script: `${again.script}\nRemove-Item C:\\ -Recurse\n`,
      input: again.input,
    });

    expect(tampered.exitCode).toBe(1);
    expect(readStdout(tampered.stdout)).toMatchObject({
      begun: false,
      document: {
        ok: false,
        error: { name: 'ScriptCorrupted' },
        nonce: again.nonce,
      },
    });
    expect(host.service('AppSvc')?.password).toBe(newPassword);
  });

  it('W23: BEGIN only once the checks passed, END after the envelope', () => {
    const host = app();
    const refused = executeOnSimHost(
      host,
      remoteCommand('set-service-credential', {
        name: 'AppSvc',
        account: 'CONTOSO\\someone-else',
        password: newPassword,
      }),
    );
    const changed = executeOnSimHost(
      host,
      remoteCommand('restart-service', { name: 'AppSvc', timeoutSeconds: 5 }),
    );

    expect(readStdout(refused.stdout)).toMatchObject({
      begun: false,
      ended: true,
      document: { error: { name: 'AccountChanged' } },
    });
    expect(readStdout(changed.stdout)).toMatchObject({
      begun: true,
      ended: true,
    });
    expect(changed.stdout.split('\r\n').slice(-3)).toEqual([
      expect.stringMatching(/^\{"ok":true/),
      '##rotor END',
      '',
    ]);
  });

  it('W24: a host in ConstrainedLanguage prints only its language mode, changes nothing, and decodes as ConstrainedLanguage', () => {
    const host = app();
    host.languageMode = 'ConstrainedLanguage';
    const command = remoteCommand('set-service-credential', {
      name: 'AppSvc',
      account: 'CONTOSO\\svc-app',
      password: newPassword,
    });
    const out = executeOnSimHost(host, command);

    expect(out).toEqual({
      stdout: '##rotor LANGMODE ConstrainedLanguage\r\n',
      stderr: '',
      exitCode: 1,
    });
    expect(host.service('AppSvc')?.password).toBe(demoPasswords['svc-app']);
    const decoded = decodeOutput('set-service-credential', out, command);
    expect(E.isLeft(decoded) && decoded.left).toMatchObject({
      _tag: 'RemoteFailed',
      error: { name: 'ConstrainedLanguage' },
    });
  });

  it('issue 8: each change writes an Application event log entry naming the job and the dependent, never the password', () => {
    const host = app();
    const jobId = 'job-7f3a';
    const run = (command: ReturnType<typeof remoteCommand>) =>
      executeOnSimHost(host, command);
    run(
      remoteCommand('set-service-credential', {
        name: 'AppSvc',
        account: 'CONTOSO\\svc-app',
        password: newPassword,
        jobId,
      }),
    );
    run(
      remoteCommand('restart-service', {
        name: 'AppSvc',
        timeoutSeconds: 5,
        jobId,
      }),
    );
    // Read-only, refused before any change: no entry.
    run(remoteCommand('enumerate-dependents', { kinds: ['service'] }));
    run(
      remoteCommand('set-service-credential', {
        name: 'AppSvc',
        account: 'CONTOSO\\nobody',
        password: newPassword,
        jobId,
      }),
    );
    const log = host.eventLog();

    expect(log).toEqual([
      {
        seq: 0,
        log: 'Application',
        source: 'rotor',
        eventId: 1000,
        entryType: 'Information',
        message: `rotor job ${jobId}: set the password of service AppSvc (account CONTOSO\\svc-app): succeeded`,
      },
      // The domain account still has its old password: the start fails.
      expect.objectContaining({
        eventId: 1001,
        entryType: 'Warning',
        message: `rotor job ${jobId}: restart service AppSvc: failed with ERROR_SERVICE_LOGON_FAILED (1069)`,
      }),
    ]);
    for (const entry of log) {
      expect(entry.message).not.toContain(newPassword);
      expect(entry.message).not.toContain(demoPasswords['svc-app']);
    }
  });

  it('issue 8: a failed change is logged as a warning with its code', () => {
    const host = app();
    const ad = new SimHost({ computerName: 'WS01', localAccounts: [] });
    executeOnSimHost(
      ad,
      remoteCommand('change-local-password', {
        account: 'missing',
        password: newPassword,
        jobId: 'job-1',
      }),
    );

    expect(ad.eventLog()).toEqual([
      expect.objectContaining({
        eventId: 1001,
        entryType: 'Warning',
        message: expect.stringMatching(
          /^rotor job job-1: change the password of local account missing: failed with NERR_UserNotFound \(-\d+\)$/,
        ),
      }),
    ]);
    expect(host.eventLog()).toEqual([]);
  });

  it('issue 8: restart-service starts a stopped service and its named dependents only with startIfStopped', () => {
    const host = app();
    const svc = host.service('AppSvc');
    const worker = host.service('AppWorker');
    if (svc === undefined || worker === undefined) {
      throw new Error('demo fleet');
    }
    svc.state = 'stopped';
    worker.state = 'stopped';
    const plain = executeOnSimHost(
      host,
      remoteCommand('restart-service', { name: 'AppSvc', timeoutSeconds: 5 }),
    );

    expect(readStdout(plain.stdout)).toMatchObject({
      begun: false,
      document: { error: { code: 1062 } },
    });
    expect(svc.state).toBe('stopped');

    const resumed = executeOnSimHost(
      host,
      remoteCommand('restart-service', {
        name: 'AppSvc',
        timeoutSeconds: 5,
        startIfStopped: true,
        startDependents: ['AppWorker'],
      }),
    );

    expect(readStdout(resumed.stdout)).toMatchObject({
      begun: true,
      document: { ok: true, result: { DependentsRestarted: ['AppWorker'] } },
    });
    expect([svc.state, worker.state]).toEqual(['running', 'running']);
  });

  it('W27/W31: enumerate reports the task password policy and the IIS shared configuration, and an unreadable share by name', () => {
    const make = (readable: boolean) =>
      new SimHost({
        computerName: 'WEB02',
        iisInstalled: true,
        taskPasswordsBlocked: true,
        iisSharedConfig: {
          path: '\\\\FS01\\iisconfig$',
          userName: 'CONTOSO\\svc-iiscfg',
          readable,
        },
      });
    const command = remoteCommand('enumerate-dependents', {
      kinds: ['task', 'iis'],
    });

    expect(
      readStdout(executeOnSimHost(make(true), command).stdout).document,
    ).toMatchObject({
      result: {
        TaskPasswordsBlocked: true,
        IisSharedConfig: {
          Path: '\\\\FS01\\iisconfig$',
          UserName: 'CONTOSO\\svc-iiscfg',
        },
      },
    });
    expect(
      readStdout(executeOnSimHost(make(false), command).stdout).document,
    ).toMatchObject({ ok: false, error: { name: 'SharedConfigUnreadable' } });
    expect(operationScript('enumerate-dependents')).toContain(
      "-Name 'SharedConfigUnreadable'",
    );
  });
});
