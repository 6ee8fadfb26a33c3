import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { readStderr } from './clixml.js';
import { decodeOutput, type OutputError } from './decode.js';
import { failureOfOutput } from './hostFailure.js';
import { readStdout } from './markers.js';
import {
  ServiceStateFromWindows,
  StartModeFromWindows,
  windowsDate,
} from './windowsValues.js';

interface Case {
  readonly id: string;
  readonly input: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
}
const cases = JSON.parse(
  readFileSync(
    new URL('../../../../shared/windows-cases.json', import.meta.url),
    'utf8',
  ),
) as ReadonlyArray<Case>;
const caseOf = (id: string): Case => {
  const found = cases.find((c) => c.id === id);
  if (found === undefined) {
    throw new Error(`case ${id} missing`);
  }

  return found;
};

const ok = (
  result: unknown,
  extra: Partial<{ stderr: string; exitCode: number }> = {},
) => ({
  stdout: `${JSON.stringify({ ok: true, result })}\r\n`,
  stderr: extra.stderr ?? '',
  exitCode: extra.exitCode ?? 0,
});

const failed = (code: number, name: string, message = 'refused') => ({
  stdout: JSON.stringify({ ok: false, error: { code, name, message } }),
  stderr: '',
  exitCode: 1,
});

const leftOf = <A>(e: E.Either<OutputError, A>): OutputError => {
  if (E.isRight(e)) {
    throw new Error('expected a failure');
  }

  return e.left;
};

const rightOf = <A>(e: E.Either<OutputError, A>): A => {
  if (E.isLeft(e)) {
    throw new Error(`expected a success, got ${JSON.stringify(e.left)}`);
  }

  return e.right;
};

// What enumerate-dependents prints on Windows PowerShell 5.1: names as the
// cmdlets print them, one service with one dependent given as one object.
const enumeration51 = {
  ComputerName: 'HOST01',
  DomainNetbios: 'CONTOSO',
  DomainDns: 'contoso.example',
  IisInstalled: true,
  Services: [
    {
      Name: 'AppSvc',
      DisplayName: 'App service',
      State: 'Running',
      StartMode: 'Auto',
      DelayedAutoStart: true,
      StartName: 'CONTOSO\\svc-app',
      DependentServices: { Name: 'AppWorker', State: 'Running' },
    },
    {
      Name: 'SyncSvc',
      DisplayName: null,
      State: 'Start Pending',
      StartMode: 'Manual',
      DelayedAutoStart: false,
      StartName: 'LocalSystem',
      DependentServices: null,
    },
  ],
  Tasks: {
    TaskPath: '\\App\\Jobs\\',
    TaskName: 'Nightly Export',
    UserId: 'CONTOSO\\svc-app',
    LogonType: 'Password',
    State: 'Ready',
  },
  AppPools: null,
};

describe('decodeOutput: enumerate-dependents', () => {
  it('reads 5.1 output: one object for a list, null for none, names for enums', () => {
    const found = rightOf(
      decodeOutput('enumerate-dependents', ok(enumeration51)),
    );

    expect(found.host).toEqual({
      computerName: 'HOST01',
      iisInstalled: true,
      domain: { netbios: 'CONTOSO', dns: 'contoso.example' },
    });
    expect(found.services).toEqual([
      {
        kind: 'service',
        name: 'AppSvc',
        displayName: 'App service',
        state: 'running',
        startMode: 'delayed-auto',
        account: 'CONTOSO\\svc-app',
        dependentServices: [{ name: 'AppWorker', state: 'running' }],
      },
      {
        kind: 'service',
        name: 'SyncSvc',
        displayName: 'SyncSvc',
        state: 'start-pending',
        startMode: 'manual',
        account: 'LocalSystem',
        dependentServices: [],
      },
    ]);
    expect(found.tasks).toEqual([
      {
        kind: 'task',
        name: '\\App\\Jobs\\Nightly Export',
        account: 'CONTOSO\\svc-app',
        logonType: 'password',
        state: 'ready',
      },
    ]);
    expect(found.appPools).toEqual([]);
  });

  it('reads 7 output: enums as numbers, empty lists as arrays, no domain', () => {
    const found = rightOf(
      decodeOutput(
        'enumerate-dependents',
        ok({
          ComputerName: 'WS01',
          DomainNetbios: null,
          DomainDns: null,
          IisInstalled: false,
          Services: [
            {
              Name: 'A',
              DisplayName: 'A',
              State: 4,
              StartMode: 10,
              DelayedAutoStart: null,
              StartName: '.\\svc',
              DependentServices: [],
            },
          ],
          Tasks: [],
          AppPools: [],
        }),
      ),
    );

    expect(found.host).toEqual({ computerName: 'WS01', iisInstalled: false });
    expect(found.services[0]?.state).toBe('running');
    expect(found.services[0]?.startMode).toBe('delayed-auto');
  });

  it('reads the {"value":[…],"Count":n} wrapper 5.1 gives some arrays', () => {
    const found = rightOf(
      decodeOutput(
        'enumerate-dependents',
        ok({
          ...enumeration51,
          Tasks: {
            value: [
              enumeration51.Tasks,
              { ...enumeration51.Tasks, TaskName: 'B' },
            ],
            Count: 2,
          },
        }),
      ),
    );

    expect(found.tasks.map((t) => t.name)).toEqual([
      '\\App\\Jobs\\Nightly Export',
      '\\App\\Jobs\\B',
    ]);
  });

  it('names the operation and the path of a bad field, not its value', () => {
    const error = leftOf(
      decodeOutput(
        'enumerate-dependents',
        ok({
          ...enumeration51,
          Services: [{ ...enumeration51.Services[0], State: 'SECRET-VALUE' }],
        }),
      ),
    );

    expect(error).toMatchObject({
      _tag: 'OutputInvalid',
      operation: 'enumerate-dependents',
    });
    expect(JSON.stringify(error)).toContain('State: expected ServiceState');
    expect(JSON.stringify(error)).not.toContain('SECRET-VALUE');
  });

  it('W21: a UTF-8 byte-order mark before the document is ignored', () => {
    const output = ok(enumeration51);

    expect(
      E.isRight(
        decodeOutput('enumerate-dependents', {
          ...output,
          stdout: `\ufeff${output.stdout}`,
        }),
      ),
    ).toBe(true);
    expect(
      E.isRight(
        decodeOutput('enumerate-dependents', {
          ...output,
          stdout: `\u00ef\u00bb\u00bf${output.stdout}`,
        }),
      ),
    ).toBe(true);
  });

  it('W10: task logon types arrive as numbers or names', () => {
    const w10 = caseOf('W10');
    const tasks = (
      w10.input['tasks'] as ReadonlyArray<{
        TaskPath: string;
        TaskName: string;
        Principal: { UserId?: string; LogonType: number | string };
      }>
    ).map((t) => ({
      TaskPath: t.TaskPath,
      TaskName: t.TaskName,
      UserId: t.Principal.UserId ?? null,
      LogonType: t.Principal.LogonType,
      State: 3,
    }));
    const found = rightOf(
      decodeOutput(
        'enumerate-dependents',
        ok({ ...enumeration51, Tasks: tasks }),
      ),
    );

    expect(found.tasks.map((t) => [t.name, t.logonType])).toEqual([
      ['\\App\\Export', 'password'],
      ['\\App\\Cleanup', 's4u'],
      ['\\App\\Tray', 'interactive-token'],
      ['\\App\\Ops', 'group'],
      ['\\App\\Patch', 'service-account'],
      ['\\App\\Legacy', 'interactive-token-or-password'],
      ['\\App\\Export2', 'password'],
    ]);
  });

  it('W10: Get-ScheduledTask names its logon types its own way (Interactive, InteractiveOrPassword)', () => {
    const names = [
      'Password',
      'S4U',
      'Interactive',
      'Group',
      'ServiceAccount',
      'InteractiveOrPassword',
      'None',
    ];
    const tasks = names.map((LogonType, i) => ({
      TaskPath: '\\',
      TaskName: `T${i}`,
      UserId: 'CONTOSO\\svc-app',
      LogonType,
      State: 'Ready',
    }));
    const found = rightOf(
      decodeOutput(
        'enumerate-dependents',
        ok({ ...enumeration51, Tasks: tasks }),
      ),
    );

    expect(found.tasks.map((t) => t.logonType)).toEqual([
      'password',
      's4u',
      'interactive-token',
      'group',
      'service-account',
      'interactive-token-or-password',
      'none',
    ]);
  });

  it('W11: tasks are keyed by folder and name; the same name in two folders is two tasks', () => {
    const w11 = caseOf('W11');
    const tasks = (
      w11.input['discoveredTasks'] as ReadonlyArray<{
        TaskPath: string;
        TaskName: string;
        Principal: { UserId: string; LogonType: number };
      }>
    ).map((t) => ({
      TaskPath: t.TaskPath,
      TaskName: t.TaskName,
      UserId: t.Principal.UserId,
      LogonType: t.Principal.LogonType,
      State: 'Ready',
    }));
    const found = rightOf(
      decodeOutput(
        'enumerate-dependents',
        ok({ ...enumeration51, Tasks: tasks }),
      ),
    );

    expect(found.tasks.map((t) => t.name)).toEqual(w11.expected['taskKeys']);
  });

  it('W14: pool identity types and states arrive as names or numbers', () => {
    const w14 = caseOf('W14');
    const pools = (
      w14.input['pools'] as ReadonlyArray<{
        name: string;
        state: number | string;
        identityType: number | string;
        userName: string;
      }>
    ).map((p) => ({
      Name: p.name,
      IdentityType: p.identityType,
      UserName: p.userName,
      State: p.state,
    }));
    const found = rightOf(
      decodeOutput(
        'enumerate-dependents',
        ok({ ...enumeration51, AppPools: pools }),
      ),
    );

    expect(
      found.appPools.map((p) => [p.name, p.identityType, p.state]),
    ).toEqual([
      ['PoolA', 'specific-user', 'started'],
      ['PoolB', 'specific-user', 'stopped'],
      ['PoolC', 'application-pool-identity', 'started'],
      ['PoolD', 'network-service', 'started'],
      ['PoolE', 'specific-user', 'starting'],
      ['PoolF', 'specific-user', 'started'],
    ]);
  });

  it('W13: IIS absent is a fact; a module that does not load is a failure', () => {
    const absent = rightOf(
      decodeOutput(
        'enumerate-dependents',
        ok({ ...enumeration51, IisInstalled: false, AppPools: [] }),
      ),
    );
    expect(absent.host.iisInstalled).toBe(false);
    expect(absent.appPools).toEqual([]);

    const edition = leftOf(
      decodeOutput(
        'enumerate-dependents',
        failed(
          -1,
          'IisModuleUnavailable',
          "IIS is installed but WebAdministration did not load in PowerShell 7.4.1 Core: does not support current PowerShell edition 'Core'",
        ),
      ),
    );
    expect(edition).toMatchObject({
      _tag: 'RemoteFailed',
      error: { name: 'IisModuleUnavailable' },
    });
  });
});

describe('decodeOutput: failures', () => {
  it('W06: every non-zero Win32_Service.Change ReturnValue is a failure named after it', () => {
    const w06 = caseOf('W06');
    const results = w06.input['remoteResults'] as ReadonlyArray<{
      service: string;
      stdout: string;
    }>;
    const names = results.map(({ service, stdout }) => {
      const returnValue = (JSON.parse(stdout) as { ReturnValue: number })
        .ReturnValue;
      const decoded = decodeOutput(
        'set-service-credential',
        ok({ ReturnValue: returnValue }),
      );

      return [
        service,
        E.isRight(decoded)
          ? 'ok'
          : `${leftOf(decoded)._tag === 'RemoteFailed' ? (leftOf(decoded) as { error: { name: string; code: number } }).error.name : '?'} (${returnValue})`,
      ];
    });

    expect(names).toEqual([
      ['AppSvc', 'ok'],
      ['AuditSvc', 'InvalidServiceAccount (22)'],
      ['ReportSvc', 'AccessDenied (2)'],
      ['QueueSvc', 'ServiceLogonFailed (15)'],
      ['IndexSvc', 'InvalidParameter (21)'],
      ['CacheSvc', 'MarkedForDeletion (16)'],
      ['OddSvc', 'UnknownReturnValue (4294967295)'],
    ]);
    // The script's own error document says the same.
    expect(
      leftOf(
        decodeOutput(
          'set-service-credential',
          failed(22, 'InvalidServiceAccount'),
        ),
      ),
    ).toMatchObject({
      error: { code: 22, name: 'InvalidServiceAccount' },
    });
  });

  it("W07: a bare output that is not the protocol's document is never a success", () => {
    const decoded = decodeOutput('set-service-credential', {
      stdout: '[SC] ChangeServiceConfig SUCCESS',
      stderr: '',
      exitCode: 0,
    });

    expect(leftOf(decoded)).toMatchObject({
      _tag: 'OutputInvalid',
      reason: 'stdout is not one JSON document',
    });
  });

  it('W09: restart failures keep their Win32 code and name, 1069 with its underlying error', () => {
    const logon = leftOf(
      decodeOutput('restart-service', {
        stdout: JSON.stringify({
          ok: false,
          error: {
            code: 1069,
            name: 'ERROR_SERVICE_LOGON_FAILED',
            message: 'starting AppSvc',
            underlying: 1326,
          },
        }),
        stderr: '',
        exitCode: 1,
      }),
    );
    expect(logon).toMatchObject({ error: { code: 1069, underlying: 1326 } });

    const disabled = leftOf(
      decodeOutput('restart-service', failed(1058, 'ERROR_SERVICE_DISABLED')),
    );
    expect(disabled).toMatchObject({
      error: { code: 1058, name: 'ERROR_SERVICE_DISABLED' },
    });

    const restarted = rightOf(
      decodeOutput('restart-service', ok({ DependentsRestarted: 'AppWorker' })),
    );
    expect(restarted.dependentsRestarted).toEqual(['AppWorker']);
    const none = rightOf(
      decodeOutput('restart-service', ok({ DependentsRestarted: null })),
    );
    expect(none.dependentsRestarted).toEqual([]);
  });

  it('W18: progress is noise, error records fail even with exit code 0, warnings are kept apart', () => {
    const w18 = caseOf('W18');
    const results = w18.input['results'] as ReadonlyArray<{
      id: string;
      exitCode: number;
      stdout: string;
      stderr: string;
    }>;
    const expected = w18.expected as Record<
      string,
      { ok: boolean; errors?: string[]; warnings?: string[] }
    >;

    for (const r of results) {
      const report = readStderr(r.stderr);
      const want = expected[r.id];
      const errors =
        report.errors.length > 0
          ? report.errors
          : report.plain === ''
            ? []
            : [report.plain];
      if (want?.errors !== undefined) {
        expect([r.id, errors]).toEqual([r.id, want.errors]);
      }
      if (want?.warnings !== undefined) {
        expect([r.id, report.warnings]).toEqual([r.id, want.warnings]);
      }
      const decoded = decodeOutput('restart-service', {
        stdout:
          r.stdout === '[]'
            ? JSON.stringify({ ok: true, result: { DependentsRestarted: [] } })
            : r.stdout,
        stderr: r.stderr,
        exitCode: r.exitCode,
      });
      expect([r.id, E.isRight(decoded)]).toEqual([r.id, want?.ok]);
    }
  });

  it('W20: cmd.exe refusing a bare PowerShell command is WrongShell', () => {
    const decoded = decodeOutput('enumerate-dependents', {
      stdout: '',
      stderr:
        "'Get-Service' is not recognized as an internal or external command,\r\noperable program or batch file.\r\n",
      exitCode: 1,
    });

    expect(leftOf(decoded)).toMatchObject({
      _tag: 'RemoteFailed',
      error: {
        name: 'WrongShell',
        code: -1,
        message: expect.stringContaining('exit code 1'),
      },
    });
  });

  it('W24: Constrained Language Mode is recognised from its error records', () => {
    const w24 = caseOf('W24');
    const decoded = decodeOutput('set-service-credential', {
      stdout: '',
      stderr: String(w24.input['stderr']),
      exitCode: 1,
    });

    expect(leftOf(decoded)).toMatchObject({
      error: { name: 'ConstrainedLanguage' },
    });
  });

  it('W25: AMSI blocking the script is BlockedByAntimalware at every stage', () => {
    const w25 = caseOf('W25');
    for (const c of w25.input['cases'] as ReadonlyArray<{
      id: string;
      exitCode: number;
      stderr: string;
    }>) {
      const decoded = decodeOutput('set-task-credential', {
        stdout: '',
        stderr: c.stderr,
        exitCode: c.exitCode,
      });

      expect([c.id, leftOf(decoded)]).toMatchObject([
        c.id,
        { error: { name: 'BlockedByAntimalware' } },
      ]);
    }
  });

  it('W27: a task registration refused with 0x80070520 keeps its HRESULT and Win32 name', () => {
    const decoded = decodeOutput(
      'set-task-credential',
      failed(
        -2147023584,
        'ERROR_NO_SUCH_LOGON_SESSION',
        'storing the password of task \\Backup\\Nightly: A specified logon session does not exist.',
      ),
    );

    expect(leftOf(decoded)).toMatchObject({
      error: { code: -2147023584, name: 'ERROR_NO_SUCH_LOGON_SESSION' },
    });
  });

  it('empty output, non-JSON output and a success with a non-zero exit are typed failures', () => {
    expect(
      leftOf(
        decodeOutput('test-logon', { stdout: '', stderr: '', exitCode: 0 }),
      ),
    ).toMatchObject({
      _tag: 'OutputInvalid',
      operation: 'test-logon',
      reason: 'stdout is empty',
    });
    expect(
      leftOf(
        decodeOutput('test-logon', { stdout: '', stderr: '', exitCode: 3 }),
      ),
    ).toMatchObject({
      _tag: 'RemoteFailed',
      error: { code: -1, message: 'exit code 3 without a result document' },
    });
    expect(
      leftOf(
        decodeOutput('test-logon', ok({ LoggedOn: true }, { exitCode: 2 })),
      ),
    ).toMatchObject({
      error: { name: 'NonZeroExit', code: -1 },
    });
    expect(
      leftOf(decodeOutput('recycle-apppool', ok({ Recycled: 'yes' }))),
    ).toMatchObject({
      _tag: 'OutputInvalid',
      operation: 'recycle-apppool',
      reason: 'Recycled: expected boolean',
    });
  });
});

describe('Windows values', () => {
  it('W17: 5.1 and 7 service samples give the same run state and start mode', () => {
    const w17 = caseOf('W17');
    const samples = Object.fromEntries(
      (w17.input['samples'] as ReadonlyArray<{ id: string; text: string }>).map(
        (s) => [s.id, JSON.parse(s.text) as Record<string, unknown>],
      ),
    );
    const state = (u: unknown) =>
      E.getOrElseW(() => 'invalid')(ServiceStateFromWindows.decode(u));
    const mode = (u: unknown) =>
      E.getOrElseW(() => 'invalid')(StartModeFromWindows.decode(u));

    expect(state(samples['s1']?.['Status'])).toBe('running');
    expect(mode(samples['s1']?.['StartType'])).toBe('auto');
    expect(mode(samples['s2']?.['StartupType'])).toBe('delayed-auto');
    expect(state(samples['s3']?.['State'])).toBe('running');
    expect(state(samples['s4']?.['State'])).toBe('start-pending');
    // Win32_Service.Status is a health value, never a run state.
    expect(state(samples['s3']?.['Status'])).toBe('invalid');
    // Both date encodings decode to one instant, also from the raw JSON text.
    const s5 =
      (
        w17.input['samples'] as ReadonlyArray<{ id: string; text: string }>
      ).find((s) => s.id === 's5')?.text ?? '';
    const raw = /"LastRunTime":"(.*)"/.exec(s5)?.[1] ?? '';
    expect(windowsDate(raw)?.toISOString()).toBe('2026-12-03T10:00:00.000Z');
    expect(
      windowsDate(String(samples['s5']?.['LastRunTime']))?.toISOString(),
    ).toBe('2026-12-03T10:00:00.000Z');
    expect(
      windowsDate(String(samples['s6']?.['LastRunTime']))?.toISOString(),
    ).toBe('2026-12-03T10:00:00.000Z');
    expect(windowsDate('yesterday')).toBeUndefined();
  });
});

describe('stdout markers (W23, W24) and the nonce (W21)', () => {
  const nonce = '8f14e45fceea167a5a36dedd4bea2543';
  const run = (stdout: string, exitCode = 0) =>
    decodeOutput(
      'recycle-apppool',
      { stdout, stderr: '', exitCode },
      { nonce },
    );

  it('W23: banner and profile noise before the envelope and after END are ignored; CR before LF too', () => {
    const stdout = [
      '##rotor LANGMODE FullLanguage',
      'Welcome to the Contoso jump host',
      '##rotor BEGIN',
      'WARNING: something a module printed',
      `{"ok":true,"result":{"Recycled":true},"nonce":"${nonce}"}`,
      '##rotor END',
      '{"ok":false,"error":{"code":5,"name":"x","message":"profile noise"}}',
      '',
    ].join('\r\n');

    expect(run(stdout)).toEqual(E.right({ recycled: true }));
    expect(readStdout(stdout)).toMatchObject({
      languageMode: 'FullLanguage',
      begun: true,
      ended: true,
    });
  });

  it('W23: a run cut short after BEGIN reports that it began; one cut before it did not', () => {
    expect(
      readStdout('##rotor LANGMODE FullLanguage\r\n##rotor BEGIN\r\n'),
    ).toEqual({
      languageMode: 'FullLanguage',
      begun: true,
      ended: false,
      document: undefined,
    });
    expect(readStdout('##rotor LANGMODE FullLanguage\r\n').begun).toBe(false);
  });

  it('W24: a LANGMODE other than FullLanguage is ConstrainedLanguage, named with the mode', () => {
    for (const mode of [
      'ConstrainedLanguage',
      'RestrictedLanguage',
      'NoLanguage',
    ]) {
      const decoded = run(`##rotor LANGMODE ${mode}\r\n`, 1);

      expect(E.isLeft(decoded) && decoded.left).toEqual({
        _tag: 'RemoteFailed',
        operation: 'recycle-apppool',
        error: {
          code: -1,
          name: 'ConstrainedLanguage',
          message: `PowerShell runs in ${mode} mode: nothing was changed`,
        },
      });
    }
  });

  it('W21: an envelope with another nonce, or none, is NonceMismatch; the old form decodes without an expectation', () => {
    const other = `{"ok":true,"result":{"Recycled":true},"nonce":"${'0'.repeat(32)}"}\r\n##rotor END\r\n`;
    const old = '{"ok":true,"result":{"Recycled":true}}\r\n';

    expect(run(other)).toEqual(
      E.left({
        _tag: 'NonceMismatch',
        operation: 'recycle-apppool',
        begun: false,
      }),
    );
    expect(E.isLeft(run(old))).toBe(true);
    expect(
      decodeOutput('recycle-apppool', { stdout: old, stderr: '', exitCode: 0 }),
    ).toEqual(E.right({ recycled: true }));
    expect(
      failureOfOutput({
        _tag: 'NonceMismatch',
        operation: 'recycle-apppool',
        begun: true,
      }),
    ).toMatchObject({ code: 'NonceMismatch', transient: false });
  });

  it('W21: the bootstrap refusing a corrupted script is a ScriptCorrupted failure', () => {
    const decoded = run(
      `##rotor LANGMODE FullLanguage\r\n{"ok":false,"error":{"code":-1,"name":"ScriptCorrupted","message":"the script is not the one sent: nothing was run"},"nonce":"${nonce}"}\r\n##rotor END\r\n`,
      1,
    );

    expect(E.isLeft(decoded) && decoded.left).toMatchObject({
      _tag: 'RemoteFailed',
      error: { name: 'ScriptCorrupted' },
    });
  });
});
