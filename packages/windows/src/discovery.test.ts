import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type {
  Machine,
  RemoteCommand,
  RemoteResult,
  Transport,
  TransportError,
  User,
} from '@rotor/core';
import { operationOfScript } from './bootstrap.js';
import { discoverMachine } from './discovery.js';

const uid = (c: string) => c.repeat(22);

const machine: Machine = {
  type: 'machine',
  uid: uid('M') as Machine['uid'],
  name: 'host01',
  host: '127.0.0.1',
  port: 5986,
  protocol: 'winrm',
  gatewayUid: uid('G') as Machine['gatewayUid'],
  adminUserUid: uid('A') as Machine['adminUserUid'],
};

const domainUser = (c: string, login: string): User => ({
  type: 'user',
  uid: uid(c) as User['uid'],
  title: login,
  login,
  scope: 'domain',
});

const app = domainUser('U', 'CONTOSO\\svc-app');
const web = domainUser('W', 'CONTOSO\\svc-web');
// The same account written another way: the first user listed wins.
const appAgain = domainUser('V', 'svc-app@contoso.example');

const enumeration = {
  ComputerName: 'HOST01',
  DomainNetbios: 'CONTOSO',
  DomainDns: 'contoso.example',
  IisInstalled: true,
  Services: [
    {
      Name: 'AppSvc',
      DisplayName: 'App',
      State: 'Running',
      StartMode: 'Auto',
      DelayedAutoStart: false,
      StartName: 'CONTOSO\\svc-app',
      DependentServices: [],
    },
    {
      Name: 'Spooler',
      DisplayName: 'Print Spooler',
      State: 'Running',
      StartMode: 'Auto',
      DelayedAutoStart: false,
      StartName: 'LocalSystem',
      DependentServices: [],
    },
  ],
  Tasks: [
    // Stores the password (logon type 1): marked.
    {
      TaskPath: '\\App\\',
      TaskName: 'Export',
      UserId: 'CONTOSO\\svc-app',
      LogonType: 1,
      State: 3,
    },
    // Interactive token (3): runs as svc-app but holds no password.
    {
      TaskPath: '\\App\\',
      TaskName: 'Tray',
      UserId: 'CONTOSO\\svc-app',
      LogonType: 3,
      State: 3,
    },
  ],
  AppPools: [
    {
      Name: 'WebPool',
      IdentityType: 'SpecificUser',
      UserName: 'CONTOSO\\svc-web',
      State: 'Started',
    },
    {
      Name: 'DefaultAppPool',
      IdentityType: 'ApplicationPoolIdentity',
      UserName: '',
      State: 'Started',
    },
  ],
};

/** Answers with `reply`, echoing the input's nonce as the scripts do. */
const fakeTransport = (
  reply: (command: RemoteCommand) => RemoteResult | TransportError,
) => {
  const sent: RemoteCommand[] = [];
  const transport: Transport = {
    run: async (_machine, command) => {
      sent.push(command);
      const r = reply(command);

      return '_tag' in r ? E.left(r) : E.right(r);
    },
    close: async () => undefined,
  };

  return { transport, sent };
};

const envelope = (command: RemoteCommand, body: object): RemoteResult => {
  const { nonce } = JSON.parse(command.input) as { nonce: string };

  return {
    stdout: `##rotor LANGMODE FullLanguage\r\n##rotor BEGIN\r\n${JSON.stringify({ ...body, nonce })}\r\n##rotor END\r\n`,
    stderr: '',
    exitCode: 'ok' in body && body.ok === false ? 1 : 0,
  };
};

describe('discoverMachine', () => {
  it('lists every dependent with its account and marks those holding a known password', async () => {
    const { transport, sent } = fakeTransport((c) =>
      envelope(c, { ok: true, result: enumeration }),
    );
    const result = await discoverMachine(transport, machine, {
      users: [app, appAgain, web],
    });

    expect(sent.map((c) => operationOfScript(c.script))).toEqual([
      'enumerate-dependents',
    ]);
    expect(
      (JSON.parse(sent[0]?.input ?? '{}') as { kinds: string[] }).kinds,
    ).toEqual(['service', 'task', 'iis']);
    expect(result).toEqual({
      machineUid: machine.uid,
      outcome: E.right([
        {
          kind: 'service',
          name: 'AppSvc',
          account: 'CONTOSO\\svc-app',
          userUid: app.uid,
        },
        { kind: 'service', name: 'Spooler', account: 'LocalSystem' },
        {
          kind: 'task',
          name: '\\App\\Export',
          account: 'CONTOSO\\svc-app',
          userUid: app.uid,
        },
        { kind: 'task', name: '\\App\\Tray', account: 'CONTOSO\\svc-app' },
        {
          kind: 'iis',
          name: 'WebPool',
          account: 'CONTOSO\\svc-web',
          userUid: web.uid,
        },
        { kind: 'iis', name: 'DefaultAppPool', account: '' },
      ]),
    });
  });

  it('marks nothing when no user is known', async () => {
    const { transport } = fakeTransport((c) =>
      envelope(c, { ok: true, result: enumeration }),
    );
    const result = await discoverMachine(transport, machine, { users: [] });

    expect(E.isRight(result.outcome)).toBe(true);
    if (E.isRight(result.outcome)) {
      expect(result.outcome.right).toHaveLength(6);
      expect(result.outcome.right.every((d) => d.userUid === undefined)).toBe(
        true,
      );
    }
  });

  it('gives an unreachable machine as a failure with its code, keeping transient', async () => {
    const { transport } = fakeTransport(() => ({
      _tag: 'TransportError',
      machineUid: machine.uid,
      code: 'Unreachable',
      message: 'connect ECONNREFUSED 127.0.0.1:5986',
      transient: true,
    }));
    const result = await discoverMachine(transport, machine, { users: [app] });

    expect(result.machineUid).toBe(machine.uid);
    expect(E.isLeft(result.outcome) && result.outcome.left).toMatchObject({
      code: 'Unreachable',
      transient: true,
    });
  });

  it("gives the host's refusal by its Windows name", async () => {
    const { transport } = fakeTransport((c) =>
      envelope(c, {
        ok: false,
        error: {
          code: 5,
          name: 'ERROR_ACCESS_DENIED',
          message: 'Access is denied.',
        },
      }),
    );
    const result = await discoverMachine(transport, machine, { users: [app] });

    expect(E.isLeft(result.outcome) && result.outcome.left).toMatchObject({
      code: 'ERROR_ACCESS_DENIED',
      windowsCode: 5,
    });
  });

  it('refuses an answer that does not echo the nonce it was sent', async () => {
    const { transport } = fakeTransport(() => ({
      stdout: JSON.stringify({ ok: true, result: enumeration, nonce: 'old' }),
      stderr: '',
      exitCode: 0,
    }));
    const result = await discoverMachine(transport, machine, { users: [app] });

    expect(E.isLeft(result.outcome) && result.outcome.left.code).toBe(
      'NonceMismatch',
    );
  });

  it('turns a transport that throws into a ProtocolError instead of rejecting', async () => {
    const transport: Transport = {
      run: () => Promise.reject(new Error('bug')),
      close: async () => undefined,
    };
    const result = await discoverMachine(transport, machine, { users: [app] });

    expect(E.isLeft(result.outcome) && result.outcome.left.code).toBe(
      'ProtocolError',
    );
  });
});
