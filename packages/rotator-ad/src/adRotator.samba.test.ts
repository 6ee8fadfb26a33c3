import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret, silentLogger, type Failure, type User } from '@rotor/core';
import { testUser } from '@rotor/core/testing';
import {
  sambaSkipReason,
  startThrowawaySamba,
  type ThrowawaySamba,
} from '@rotor/testkit';
import {
  createAdAccountRotator,
  type AdAccountRotatorOptions,
} from './adRotator.js';

const skip = sambaSkipReason();
if (skip !== undefined) {
  console.warn(`skipping the Active Directory rotator suite: ${skip}`);
}

let serial = 0;
/** A fresh password that meets the default policy (history is 24). */
const fresh = (label: string) => {
  serial += 1;

  return Secret.of(`${label}!Pw-${serial}-${Date.now() % 100_000}`);
};

describe.skipIf(skip !== undefined)('createAdAccountRotator on Samba', () => {
  let dc: ThrowawaySamba;

  beforeAll(async () => {
    dc = await startThrowawaySamba();
  }, 120_000);

  afterAll(async () => {
    await dc?.stop();
  });

  const userOf = (sam: string): User =>
    testUser(sam, {
      login: `${dc.netbios}\\${sam}`,
      domain: { netbios: dc.netbios, dns: dc.dnsDomain },
    });

  const rotator = (overrides: Partial<AdAccountRotatorOptions> = {}) =>
    createAdAccountRotator({
      url: dc.ldapsUrl,
      caFile: dc.caFile,
      bindDn: dc.adminDn,
      bindPassword: dc.adminPassword,
      baseDn: dc.baseDn,
      mode: 'reset',
      ...overrides,
    });

  const binds = (sam: string, password: Secret) =>
    E.isRight(dc.bindSync(`${dc.netbios}\\${sam}`, password));

  const account = async (sam: string) => {
    const password = fresh(sam);
    await dc.tool.createUser(sam, password);

    return { user: userOf(sam), password };
  };

  /** The refusal, checked to hold no password and to have changed nothing. */
  const refused = (
    outcome: E.Either<Failure, void>,
    sam: string,
    still: Secret,
    secrets: ReadonlyArray<Secret>,
  ): Failure => {
    expect(E.isLeft(outcome)).toBe(true);
    const f = E.isLeft(outcome) ? outcome.left : (undefined as never);
    for (const s of [...secrets, dc.adminPassword]) {
      expect(JSON.stringify(f)).not.toContain(s.reveal());
    }
    expect(binds(sam, still)).toBe(true);

    return f;
  };

  it('resets a password; the old one stops working at once', async () => {
    const { user, password } = await account('svc-reset');
    const next = fresh('next');
    expect(await rotator().change(user, next, undefined)).toEqual(
      E.right(undefined),
    );
    expect(binds('svc-reset', next)).toBe(true);
    expect(binds('svc-reset', password)).toBe(false);
  });

  it('accepts the same reset twice (a resumed job)', async () => {
    const { user } = await account('svc-twice');
    const next = fresh('twice');
    const names: string[] = [];
    const logger = {
      ...silentLogger,
      info: (name: string) => names.push(name),
    };
    expect(await rotator({ logger }).change(user, next, undefined)).toEqual(
      E.right(undefined),
    );
    expect(await rotator({ logger }).change(user, next, undefined)).toEqual(
      E.right(undefined),
    );
    expect(binds('svc-twice', next)).toBe(true);
    // the directory itself accepts the repeated reset
    expect(names).toEqual(['ad.password.changed', 'ad.password.changed']);
  });

  it('changes a password as the account itself, and again on resume', async () => {
    const { user, password } = await account('svc-self');
    const next = fresh('self');
    const self = rotator({ mode: 'self-change' });
    expect(await self.change(user, next, password)).toEqual(E.right(undefined));
    expect(binds('svc-self', next)).toBe(true);
    expect(binds('svc-self', password)).toBe(false);
    // a resumed job still holds the old current password
    expect(await self.change(user, next, password)).toEqual(E.right(undefined));
  });

  it('finds an account by its UPN', async () => {
    const { password } = await account('svc-upn');
    const next = fresh('upn');
    const user = testUser('svc-upn', { login: `svc-upn@${dc.dnsDomain}` });
    expect(await rotator().change(user, next, password)).toEqual(
      E.right(undefined),
    );
    expect(binds('svc-upn', next)).toBe(true);
  });

  it('refuses a short password (0000052D) and changes nothing', async () => {
    const { user, password } = await account('svc-short');
    const next = Secret.of('A1!b');
    const f = refused(
      await rotator().change(user, next, undefined),
      'svc-short',
      password,
      [next, password],
    );
    expect(f).toMatchObject({ code: 'PasswordTooShort', windowsCode: 1325 });
    expect(f.message).toMatch(/LDAP 19 constraintViolation, 0000052D/);
  });

  it('refuses a password that is not complex', async () => {
    const { user, password } = await account('svc-simple');
    const next = Secret.of('alllowercase');
    const f = refused(
      await rotator().change(user, next, undefined),
      'svc-simple',
      password,
      [next],
    );
    expect(f).toMatchObject({ code: 'PasswordNotComplex', windowsCode: 1325 });
  });

  it('refuses a password from the history on a self-change', async () => {
    const { user, password } = await account('svc-history');
    const self = rotator({ mode: 'self-change' });
    const second = fresh('second');
    expect(await self.change(user, second, password)).toEqual(
      E.right(undefined),
    );
    const f = refused(
      await self.change(user, password, second),
      'svc-history',
      second,
      [password, second],
    );
    expect(f).toMatchObject({ code: 'PasswordInHistory', windowsCode: 1325 });
  });

  it('refuses a self-change within the minimum age', async () => {
    const { user, password } = await account('svc-young');
    await dc.tool.setPasswordPolicy({ minAgeDays: 1 });
    try {
      const next = fresh('young');
      const f = refused(
        await rotator({ mode: 'self-change' }).change(user, next, password),
        'svc-young',
        password,
        [next, password],
      );
      expect(f).toMatchObject({ code: 'PasswordTooYoung', windowsCode: 1325 });
    } finally {
      await dc.tool.setPasswordPolicy({ minAgeDays: 0 });
    }
  });

  it('refuses a reset by an account without the right (50)', async () => {
    const weak = await account('svc-weak');
    const { user, password } = await account('svc-target');
    const next = fresh('target');
    const f = refused(
      await rotator({
        bindDn: `CN=svc-weak,CN=Users,${dc.baseDn}`,
        bindPassword: weak.password,
      }).change(user, next, undefined),
      'svc-target',
      password,
      [next, weak.password],
    );
    expect(f).toMatchObject({ code: 'InsufficientAccess', windowsCode: 5 });
    expect(f.message).toContain('LDAP 50 insufficientAccessRights');
  });

  it('refuses wrong bind credentials (49, data 52e)', async () => {
    const { user, password } = await account('svc-badbind');
    const wrong = Secret.of('Not!TheAdmin-1');
    const next = fresh('badbind');
    const f = refused(
      await rotator({ bindPassword: wrong }).change(user, next, undefined),
      'svc-badbind',
      password,
      [wrong, next],
    );
    expect(f).toMatchObject({ code: 'InvalidCredentials', windowsCode: 1326 });
    expect(f.message).toContain('data 52e');
  });

  it('reports a disabled account (533) on a self-change', async () => {
    const { user, password } = await account('svc-off');
    await dc.tool.disable('svc-off');
    const next = fresh('off');
    const f = await rotator({ mode: 'self-change' }).change(
      user,
      next,
      password,
    );
    expect(f).toMatchObject(
      E.left({ code: 'AccountDisabled', windowsCode: 1331 }),
    );
    await dc.tool.enable('svc-off');
    expect(binds('svc-off', password)).toBe(true);
  });

  it('reports a locked-out account (775) on a self-change', async () => {
    const { user, password } = await account('svc-locked');
    await dc.tool.setPasswordPolicy({
      lockoutThreshold: 2,
      lockoutDurationMinutes: 5,
      resetLockoutAfterMinutes: 5,
    });
    try {
      binds('svc-locked', Secret.of('Wrong!One-1'));
      binds('svc-locked', Secret.of('Wrong!Two-2'));
      const next = fresh('locked');
      const f = await rotator({ mode: 'self-change' }).change(
        user,
        next,
        password,
      );
      expect(f).toMatchObject(
        E.left({ code: 'AccountLockedOut', windowsCode: 1909 }),
      );
      await dc.tool.unlock('svc-locked');
      expect(binds('svc-locked', password)).toBe(true);
    } finally {
      await dc.tool.setPasswordPolicy({ lockoutThreshold: 0 });
    }
  });

  it('refuses a directory whose certificate is not of the pinned CA', async () => {
    const { user, password } = await account('svc-ca');
    const next = fresh('ca');
    const f = refused(
      await rotator({ caFile: dc.foreignCaFile }).change(user, next, undefined),
      'svc-ca',
      password,
      [next],
    );
    expect(f.code).toBe('TlsCertificateRejected');
    // and a certificate checked against another name than it carries
    const g = await rotator({ serverName: 'other.corp.example' }).change(
      user,
      next,
      undefined,
    );
    expect(g).toMatchObject(E.left({ code: 'TlsCertificateRejected' }));
    expect(binds('svc-ca', password)).toBe(true);
  });

  it('reports an account that does not exist', async () => {
    const f = await rotator().change(userOf('nobody'), fresh('x'), undefined);
    expect(f).toMatchObject(E.left({ code: 'AccountNotFound' }));
  });

  it('refuses a plain ldap:// url when it is created', () => {
    expect(() => rotator({ url: `ldap://${dc.address}` })).toThrow(/ldaps/);
  });
});
