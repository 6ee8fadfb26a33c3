import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  Secret,
  inventoryOf,
  type LogAttributes,
  type Logger,
  type Machine,
  type RemoteCommand,
  type RemoteResult,
  type ServiceDependent,
  type Transport,
  type TransportError,
  type User,
} from '@rotor/core';
import { decodeStdin, encodeStdin, operationOfScript } from './bootstrap.js';
import { createWindowsHost } from './host.js';
import { hostAccountRotator } from './rotator.js';

const uid = (c: string) => c.repeat(22);

const machine: Machine = {
  type: 'machine',
  uid: uid('M') as Machine['uid'],
  name: 'host01',
  host: '127.0.0.1',
  port: 22,
  protocol: 'ssh',
  gatewayUid: uid('G') as Machine['gatewayUid'],
  adminUserUid: uid('A') as Machine['adminUserUid'],
};

const user: User = {
  type: 'user',
  uid: uid('U') as User['uid'],
  title: 'app',
  login: 'CONTOSO\\svc-app',
  scope: 'domain',
  passwordHostUid: machine.uid,
};

const password = Secret.of('Rotated#2026!-Grüße');

type Reply = RemoteResult | TransportError;

/** A transport that answers each operation with a canned result. */
const fakeTransport = (replies: Partial<Record<string, Reply>>) => {
  const sent: RemoteCommand[] = [];
  const transport: Transport = {
    run: async (_machine, command) => {
      sent.push(command);
      const operation = operationOfScript(command.script) ?? '?';
      const reply = replies[operation] ?? okResult({});

      return '_tag' in reply
        ? E.left(reply)
        : E.right(echoNonce(command, reply));
    },
    close: async () => undefined,
  };

  return { transport, sent };
};

const capturingLogger = () => {
  const records: Array<{ name: string; attributes?: LogAttributes }> = [];
  const keep = (name: string, attributes?: LogAttributes): void =>
    void records.push(
      attributes === undefined ? { name } : { name, attributes },
    );
  const logger: Logger = { debug: keep, info: keep, warn: keep, error: keep };

  return { logger, records };
};

/**
 * The reply as the real scripts print it: the input's nonce echoed in the
 * envelope, and the markers around it. Replies that are not an envelope
 * are left as they are.
 */
const echoNonce = (
  command: RemoteCommand,
  reply: RemoteResult,
): RemoteResult => {
  const { nonce } = JSON.parse(command.input) as { nonce?: string };
  try {
    const envelope = JSON.parse(reply.stdout) as Record<string, unknown>;

    return {
      ...reply,
      stdout: `##rotor LANGMODE FullLanguage\r\n${JSON.stringify({ ...envelope, nonce })}\r\n##rotor END\r\n`,
    };
  } catch {
    return reply;
  }
};

const okResult = (result: unknown): RemoteResult => ({
  stdout: JSON.stringify({ ok: true, result }),
  stderr: '',
  exitCode: 0,
});

const errorResult = (
  code: number,
  name: string,
  message: string,
  underlying?: number,
): RemoteResult => ({
  stdout: JSON.stringify({
    ok: false,
    error: {
      code,
      name,
      message,
      ...(underlying === undefined ? {} : { underlying }),
    },
  }),
  stderr: '',
  exitCode: 1,
});

const service = (
  name: string,
  account: string,
  extra: Record<string, unknown> = {},
) => ({
  Name: name,
  DisplayName: name,
  State: 'Running',
  StartMode: 'Auto',
  DelayedAutoStart: false,
  StartName: account,
  DependentServices: [],
  ...extra,
});

const enumeration = (extra: Record<string, unknown> = {}) => ({
  ComputerName: 'HOST01',
  DomainNetbios: 'CONTOSO',
  DomainDns: 'contoso.example',
  IisInstalled: true,
  Services: [
    service('AppSvc', 'CONTOSO\\svc-app'),
    service('ReportSvc', 'svc-app@contoso.example'),
    service('LocalTwin', '.\\svc-app'),
    service('Sql', 'CONTOSO\\gmsa-sql$'),
    service('Spooler', 'LocalSystem'),
  ],
  Tasks: [
    {
      TaskPath: '\\App\\',
      TaskName: 'Export',
      UserId: 'CONTOSO\\svc-app',
      LogonType: 1,
      State: 3,
    },
    {
      TaskPath: '\\App\\',
      TaskName: 'Cleanup',
      UserId: 'CONTOSO\\svc-app',
      LogonType: 2,
      State: 3,
    },
    {
      TaskPath: '\\App\\',
      TaskName: 'Legacy',
      UserId: 'CONTOSO\\svc-app',
      LogonType: 6,
      State: 3,
    },
  ],
  AppPools: [
    { Name: 'PoolA', IdentityType: 3, UserName: 'CONTOSO\\svc-web', State: 1 },
    {
      Name: 'PoolB',
      IdentityType: 'SpecificUser',
      UserName: 'contoso\\SVC-APP',
      State: 'Stopped',
    },
    { Name: 'PoolD', IdentityType: 2, UserName: 'CONTOSO\\svc-app', State: 1 },
  ],
  ...extra,
});

const serviceDependent: ServiceDependent = {
  kind: 'service',
  name: 'AppSvc',
  displayName: 'AppSvc',
  state: 'running',
  startMode: 'auto',
  account: 'CONTOSO\\svc-app',
  dependentServices: [{ name: 'AppWorker', state: 'running' }],
};

describe('createWindowsHost', () => {
  it("enumerate keeps only dependents holding the user's password (W10, W14)", async () => {
    const { transport, sent } = fakeTransport({
      'enumerate-dependents': okResult(enumeration()),
    });
    const host = createWindowsHost(transport);

    const snapshot = await host.enumerate(machine, user, [
      'service',
      'task',
      'iis',
    ]);

    expect(
      E.isRight(snapshot) &&
        snapshot.right.dependents.map((d) => `${d.kind}:${d.name}`),
    ).toEqual([
      'service:AppSvc',
      'service:ReportSvc',
      'task:\\App\\Export',
      'task:\\App\\Legacy',
      'iis:PoolB',
    ]);
    expect(E.isRight(snapshot) && snapshot.right.host).toEqual({
      computerName: 'HOST01',
      iisInstalled: true,
      domain: { netbios: 'CONTOSO', dns: 'contoso.example' },
    });
    expect(JSON.parse(sent[0]?.input ?? '')).toMatchObject({
      kinds: ['service', 'task', 'iis'],
    });
  });

  it('enumerate asks only for the mapped kinds and returns only those', async () => {
    const { transport, sent } = fakeTransport({
      'enumerate-dependents': okResult(enumeration()),
    });
    const snapshot = await createWindowsHost(transport).enumerate(
      machine,
      user,
      ['task'],
    );

    expect(
      E.isRight(snapshot) &&
        snapshot.right.dependents.every((d) => d.kind === 'task'),
    ).toBe(true);
    expect(JSON.parse(sent[0]?.input ?? '')).toMatchObject({ kinds: ['task'] });
  });

  it('a transport failure is MachineUnusable and keeps transient', async () => {
    const unreachable: TransportError = {
      _tag: 'TransportError',
      code: 'Unreachable',
      machineUid: machine.uid,
      message: 'connect ECONNREFUSED',
      transient: true,
    };
    const { transport } = fakeTransport({
      'enumerate-dependents': unreachable,
    });

    const snapshot = await createWindowsHost(transport).enumerate(
      machine,
      user,
      ['service'],
    );

    expect(snapshot).toEqual(
      E.left({
        _tag: 'MachineUnusable',
        failure: {
          code: 'Unreachable',
          message: 'connect ECONNREFUSED',
          transient: true,
        },
      }),
    );
  });

  it('undecodable output is OperationFailed naming the operation', async () => {
    const { transport } = fakeTransport({
      'enumerate-dependents': { stdout: 'garbage', stderr: '', exitCode: 0 },
    });

    const snapshot = await createWindowsHost(transport).enumerate(
      machine,
      user,
      ['service'],
    );

    expect(snapshot).toEqual(
      E.left({
        _tag: 'OperationFailed',
        failure: {
          code: 'OutputInvalid',
          message: 'enumerate-dependents: stdout is not one JSON document',
          transient: false,
        },
      }),
    );
  });

  it('W06: setCredential sends the account as written and fails on a non-zero ReturnValue', async () => {
    const { transport, sent } = fakeTransport({
      'set-service-credential': errorResult(
        22,
        'InvalidServiceAccount',
        'Win32_Service.Change returned 22 for service AppSvc',
      ),
    });

    const result = await createWindowsHost(transport).setCredential(
      machine,
      serviceDependent,
      password,
    );

    expect(result).toEqual(
      E.left({
        _tag: 'OperationFailed',
        failure: {
          code: 'InvalidServiceAccount',
          message:
            'set-service-credential: Win32_Service.Change returned 22 for service AppSvc',
          transient: false,
          windowsCode: 22,
        },
      }),
    );
    expect(JSON.parse(sent[0]?.input ?? '')).toMatchObject({
      name: 'AppSvc',
      account: 'CONTOSO\\svc-app',
      password: password.reveal(),
    });
  });

  it('W03/W04: built-in, virtual and gMSA dependents are refused without a connection', async () => {
    const { transport, sent } = fakeTransport({});
    const host = createWindowsHost(transport);

    for (const account of [
      'LocalSystem',
      'NT AUTHORITY\\NETWORK SERVICE',
      'NT SERVICE\\MSSQL$X',
      'CONTOSO\\gmsa-sql$',
    ]) {
      const result = await host.setCredential(
        machine,
        { ...serviceDependent, account },
        password,
      );
      expect(E.isLeft(result) && result.left.failure.code).toBe(
        'AccountHasNoPassword',
      );
    }
    expect(sent).toEqual([]);
  });

  it('W10: a task whose logon type stores no password is refused without a connection', async () => {
    const { transport, sent } = fakeTransport({});
    const result = await createWindowsHost(transport).setCredential(
      machine,
      {
        kind: 'task',
        name: '\\App\\Cleanup',
        account: 'CONTOSO\\svc-app',
        logonType: 's4u',
        state: 'ready',
      },
      password,
    );

    expect(E.isLeft(result) && result.left.failure.code).toBe(
      'NoStoredPassword',
    );
    expect(sent).toEqual([]);
  });

  it('W11: a task is addressed by its full path', async () => {
    const { transport, sent } = fakeTransport({});
    await createWindowsHost(transport).setCredential(
      machine,
      {
        kind: 'task',
        name: '\\App\\Jobs\\Nightly Export',
        account: 'CONTOSO\\svc-app',
        logonType: 'password',
        state: 'ready',
      },
      password,
    );

    expect(JSON.parse(sent[0]?.input ?? '')).toMatchObject({
      path: '\\App\\Jobs\\Nightly Export',
    });
  });

  it('W14: only SpecificUser pools get a password', async () => {
    const { transport, sent } = fakeTransport({});
    const result = await createWindowsHost(transport).setCredential(
      machine,
      {
        kind: 'iis',
        name: 'PoolD',
        identityType: 'network-service',
        account: 'CONTOSO\\svc-app',
        state: 'started',
      },
      password,
    );

    expect(E.isLeft(result) && result.left.failure.code).toBe(
      'NotSpecificUser',
    );
    expect(sent).toEqual([]);
  });

  it('W12: the password is only in the stdin input, and never in a failure', async () => {
    const leaky = errorResult(
      5,
      'ERROR_ACCESS_DENIED',
      `denied for ${password.reveal()} and ${JSON.stringify(password.reveal()).slice(1, -1)}`,
    );
    const { transport, sent } = fakeTransport({ 'set-task-credential': leaky });

    const result = await createWindowsHost(transport).setCredential(
      machine,
      {
        kind: 'task',
        name: '\\App\\Export',
        account: 'CONTOSO\\svc-app',
        logonType: 'password',
        state: 'ready',
      },
      password,
    );

    const command = sent[0];
    expect(command?.script.includes(password.reveal())).toBe(false);
    expect(command?.input.includes(password.reveal())).toBe(false); // escaped: ASCII only
    expect(
      decodeStdin(encodeStdin(command?.script ?? '', command?.input ?? ''))
        ?.input,
    ).toBe(command?.input);
    expect(JSON.stringify(result)).not.toContain('Rotated#2026');
    expect(E.isLeft(result) && result.left.failure.message).toBe(
      'set-task-credential: denied for [secret] and [secret]',
    );
  });

  it('W09: a logon failure at restart reports 1069 with its underlying reason (W29)', async () => {
    const { transport, sent } = fakeTransport({
      'restart-service': errorResult(
        1069,
        'ERROR_SERVICE_LOGON_FAILED',
        'starting service AppSvc: logon failure',
        1907,
      ),
    });

    const result = await createWindowsHost(transport, {
      restartTimeoutSeconds: 30,
    }).restartService(machine, serviceDependent);

    expect(result).toEqual(
      E.left({
        _tag: 'OperationFailed',
        failure: {
          code: 'ERROR_SERVICE_LOGON_FAILED',
          message:
            'restart-service: starting service AppSvc: logon failure (underlying ERROR_PASSWORD_MUST_CHANGE 1907: MustChangePasswordAtNextLogon)',
          transient: false,
          windowsCode: 1069,
          underlyingCode: 1907,
        },
      }),
    );
    expect(JSON.parse(sent[0]?.input ?? '')).toMatchObject({
      name: 'AppSvc',
      timeoutSeconds: 30,
    });
    expect(JSON.parse(sent[0]?.input ?? '')).not.toHaveProperty(
      'startIfStopped',
    );
  });

  it('W29: the logon error behind a 1069 is data on the failure (underlyingCode), absent when the host names none', async () => {
    const failed = async (underlying?: number) => {
      const { transport } = fakeTransport({
        'restart-service': errorResult(
          1069,
          'ERROR_SERVICE_LOGON_FAILED',
          'logon failure',
          underlying,
        ),
      });
      const result = await createWindowsHost(transport).restartService(
        machine,
        serviceDependent,
      );

      return E.isLeft(result) ? result.left.failure : undefined;
    };

    expect((await failed(1326))?.underlyingCode).toBe(1326);
    expect(await failed()).not.toHaveProperty('underlyingCode');
  });

  it('W21: an answer that does not echo the nonce sent is refused as NonceMismatch', async () => {
    const replies = [
      // Another run's answer, and the old form without a nonce.
      `{"ok":true,"result":{"Recycled":true},"nonce":"00000000000000000000000000000000"}\r\n##rotor END\r\n`,
      `{"ok":true,"result":{"Recycled":true}}\r\n`,
    ];
    for (const stdout of replies) {
      const transport: Transport = {
        run: async () => E.right({ stdout, stderr: '', exitCode: 0 }),
        close: async () => undefined,
      };
      const result = await createWindowsHost(transport).recycleAppPool(
        machine,
        'AppPool',
      );

      expect(E.isLeft(result) && result.left).toMatchObject({
        _tag: 'OperationFailed',
        failure: { code: 'NonceMismatch', transient: false },
      });
    }
  });

  it('issue 8: the job id reaches every changing operation, and startIfStopped sends the dependents the snapshot saw running', async () => {
    const { transport, sent } = fakeTransport({
      'restart-service': okResult({ DependentsRestarted: [] }),
    });
    const host = createWindowsHost(transport);
    const options = { jobId: 'job-42' };
    await host.setCredential(machine, serviceDependent, password, options);
    await host.restartService(machine, serviceDependent, {
      ...options,
      startIfStopped: true,
    });
    await host.recycleAppPool(machine, 'AppPool', options);
    await host.changeAccountPassword(machine, user, password, options);
    await host.restartService(machine, serviceDependent);
    const inputs = sent.map(
      (c) => JSON.parse(c.input) as Record<string, unknown>,
    );

    expect(inputs.slice(0, 4).map((i) => i['jobId'])).toEqual([
      'job-42',
      'job-42',
      'job-42',
      'job-42',
    ]);
    expect(inputs[1]).toMatchObject({
      startIfStopped: true,
      startDependents: serviceDependent.dependentServices
        .filter((d) => d.state === 'running')
        .map((d) => d.name),
    });
    expect(inputs[4]).not.toHaveProperty('jobId');
    expect(inputs[4]).not.toHaveProperty('startIfStopped');
  });

  it('W09: a restart returns the dependents started again; a disabled service is 1058', async () => {
    const restarted = fakeTransport({
      'restart-service': okResult({ DependentsRestarted: ['AppWorker'] }),
    });
    expect(
      await createWindowsHost(restarted.transport).restartService(
        machine,
        serviceDependent,
      ),
    ).toEqual(E.right({ dependentsRestarted: ['AppWorker'] }));

    const disabled = fakeTransport({
      'restart-service': errorResult(
        1058,
        'ERROR_SERVICE_DISABLED',
        'service LegacySvc is running but Disabled',
      ),
    });
    const result = await createWindowsHost(disabled.transport).restartService(
      machine,
      serviceDependent,
    );
    expect(E.isLeft(result) && result.left.failure).toMatchObject({
      code: 'ERROR_SERVICE_DISABLED',
      windowsCode: 1058,
    });
  });

  it('gives a restart a transport timeout that covers each of its waits', async () => {
    const timeouts: number[] = [];
    const transport: Transport = {
      run: async (_m, _c, options) => {
        timeouts.push(options.timeoutMs);

        return E.right(okResult({ DependentsRestarted: [] }));
      },
      close: async () => undefined,
    };
    await createWindowsHost(transport, {
      restartTimeoutSeconds: 10,
      stepTimeoutMs: 5000,
    }).restartService(machine, serviceDependent);

    // Stop and start the service and its one running dependent: 4 waits.
    expect(timeouts).toEqual([5000 + 4 * 10_000]);
  });

  it('W27: a host that refuses to store task passwords is TaskCredentialStorageBlocked, with its HRESULT', async () => {
    const { transport } = fakeTransport({
      'set-task-credential': errorResult(
        -2147023584,
        'ERROR_NO_SUCH_LOGON_SESSION',
        'A specified logon session does not exist.',
      ),
    });
    const result = await createWindowsHost(transport).setCredential(
      machine,
      {
        kind: 'task',
        name: '\\Backup\\Nightly',
        account: 'CONTOSO\\svc-app',
        logonType: 'password',
        state: 'ready',
      },
      password,
    );

    expect(E.isLeft(result) && result.left.failure).toMatchObject({
      code: 'TaskCredentialStorageBlocked',
      windowsCode: -2147023584,
      transient: false,
    });
  });

  it('W27: enumerate warns when the user has password tasks on such a host', async () => {
    const { logger, records } = capturingLogger();
    const { transport } = fakeTransport({
      'enumerate-dependents': okResult(
        enumeration({ TaskPasswordsBlocked: true }),
      ),
    });

    const snapshot = await createWindowsHost(transport, { logger }).enumerate(
      machine,
      user,
      ['task'],
    );

    expect(records.map((r) => r.name)).toContain(
      'windows.tasks.password-storage-blocked',
    );
    // The fact is data in the snapshot too, for the job and the plan.
    expect(
      E.isRight(snapshot) && snapshot.right.host.taskPasswordsBlocked,
    ).toBe(true);
  });

  it('W27: a host that stores task passwords carries no taskPasswordsBlocked fact', async () => {
    const { transport } = fakeTransport({
      'enumerate-dependents': okResult(
        enumeration({ TaskPasswordsBlocked: false }),
      ),
    });
    const snapshot = await createWindowsHost(transport).enumerate(
      machine,
      user,
      ['task'],
    );

    expect(E.isRight(snapshot) && snapshot.right.host).not.toHaveProperty(
      'taskPasswordsBlocked',
    );
  });

  it('W31: enumerate warns when the IIS shared configuration is read with the user', async () => {
    const { logger, records } = capturingLogger();
    const { transport } = fakeTransport({
      'enumerate-dependents': okResult(
        enumeration({
          IisSharedConfig: {
            Path: '\\\\FS01\\iisconfig$',
            UserName: 'CONTOSO\\svc-app',
          },
        }),
      ),
    });

    const snapshot = await createWindowsHost(transport, { logger }).enumerate(
      machine,
      user,
      ['iis'],
    );

    expect(records.map((r) => r.name)).toContain(
      'windows.iis.shared-config-account',
    );
    expect(E.isRight(snapshot) && snapshot.right.host.iisSharedConfig).toEqual({
      path: '\\\\FS01\\iisconfig$',
      userName: 'CONTOSO\\svc-app',
      accountIsUser: true,
    });
  });

  it('W31: a shared configuration read with another account is a fact, not the user', async () => {
    const { transport } = fakeTransport({
      'enumerate-dependents': okResult(
        enumeration({
          IisSharedConfig: {
            Path: '\\\\FS01\\iisconfig$',
            UserName: 'CONTOSO\\svc-iiscfg',
          },
        }),
      ),
    });
    const snapshot = await createWindowsHost(transport).enumerate(
      machine,
      user,
      ['iis'],
    );

    expect(
      E.isRight(snapshot) && snapshot.right.host.iisSharedConfig?.accountIsUser,
    ).toBe(false);
  });

  it('W32: log records carry names and ids only, never a password or a password key', async () => {
    const { logger, records } = capturingLogger();
    const { transport } = fakeTransport({
      'set-service-credential': errorResult(
        5,
        'ERROR_ACCESS_DENIED',
        `no ${password.reveal()}`,
      ),
      'enumerate-dependents': okResult(enumeration()),
    });
    const host = createWindowsHost(transport, { logger });

    await host.enumerate(machine, user, ['service', 'task', 'iis']);
    await host.setCredential(machine, serviceDependent, password);
    await host.changeAccountPassword(machine, user, password);
    await host.testLogon(machine, user, password);

    expect(records.length).toBeGreaterThan(0);
    for (const record of records) {
      expect(
        Object.keys(record.attributes ?? {}).filter((k) => /password/i.test(k)),
      ).toEqual([]);
      expect(JSON.stringify(record)).not.toContain(password.reveal());
    }
  });

  it('changeAccountPassword picks the operation by scope and sends the bare account name', async () => {
    const { transport, sent } = fakeTransport({});
    const host = createWindowsHost(transport);

    await host.changeAccountPassword(machine, user, password);
    await host.changeAccountPassword(
      machine,
      { ...user, login: 'HOST01\\svc-local', scope: 'local' },
      password,
    );

    expect(sent.map((c) => [c.operation, JSON.parse(c.input).account])).toEqual(
      [
        ['change-domain-password', 'svc-app'],
        ['change-local-password', 'svc-local'],
      ],
    );
  });

  it('testLogon sends a LogonUser form of the login', async () => {
    const { transport, sent } = fakeTransport({
      'test-logon': errorResult(
        1326,
        'ERROR_LOGON_FAILURE',
        'logon of .\\svc refused',
      ),
    });
    const result = await createWindowsHost(transport).testLogon(
      machine,
      { ...user, login: 'svc', scope: 'local' },
      password,
    );

    expect(JSON.parse(sent[0]?.input ?? '').account).toBe('.\\svc');
    expect(E.isLeft(result) && result.left.failure.message).toBe(
      'test-logon: logon of .\\svc refused (WrongPassword)',
    );
  });

  it('recycleAppPool succeeds whether or not the pool was started', async () => {
    const { transport } = fakeTransport({
      'recycle-apppool': okResult({ Recycled: false }),
    });

    expect(
      await createWindowsHost(transport).recycleAppPool(machine, 'PoolB'),
    ).toEqual(E.right(undefined));
  });
});

describe('hostAccountRotator', () => {
  it('changes the password through the machine the user names', async () => {
    const { transport, sent } = fakeTransport({});
    const rotator = hostAccountRotator({
      host: createWindowsHost(transport),
      inventory: inventoryOf([machine, user]),
    });

    expect(await rotator.change(user, password, undefined)).toEqual(
      E.right(undefined),
    );
    expect(sent.map((c) => c.operation)).toEqual(['change-domain-password']);
  });

  it('is a typed failure when the user names no machine, or not a machine', async () => {
    const { transport, sent } = fakeTransport({});
    const rotator = hostAccountRotator({
      host: createWindowsHost(transport),
      inventory: inventoryOf([machine, user]),
    });
    const { passwordHostUid: _, ...withoutHost } = user;

    const missing = await rotator.change(withoutHost, password, undefined);
    const notMachine = await rotator.change(
      { ...user, passwordHostUid: user.uid },
      password,
      undefined,
    );

    expect(E.isLeft(missing) && missing.left.code).toBe('PasswordHostMissing');
    expect(E.isLeft(notMachine) && notMachine.left.code).toBe(
      'PasswordHostUnknown',
    );
    expect(sent).toEqual([]);
  });

  it('W04: a gMSA is rejected before any connection', async () => {
    const { transport, sent } = fakeTransport({});
    const rotator = hostAccountRotator({
      host: createWindowsHost(transport),
      inventory: inventoryOf([machine, user]),
    });

    const result = await rotator.change(
      { ...user, login: 'CONTOSO\\gmsa-sql$' },
      password,
      undefined,
    );

    expect(E.isLeft(result) && result.left.code).toBe('AccountHasNoPassword');
    expect(sent).toEqual([]);
  });

  it('a refusal by Windows comes back as its failure', async () => {
    const { transport } = fakeTransport({
      'change-domain-password': errorResult(
        1325,
        'ERROR_PASSWORD_RESTRICTION',
        'resetting the password of svc-app: complexity',
      ),
    });
    const rotator = hostAccountRotator({
      host: createWindowsHost(transport),
      inventory: inventoryOf([machine, user]),
    });

    const result = await rotator.change(user, password, undefined);

    expect(E.isLeft(result) && result.left).toMatchObject({
      code: 'ERROR_PASSWORD_RESTRICTION',
      windowsCode: 1325,
    });
  });
});
