import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '@rotor/core';
import { sambaSkipReason } from './sambaPrograms.js';
import { startThrowawaySamba, type ThrowawaySamba } from './throwawaySamba.js';

const skip = sambaSkipReason();
if (skip !== undefined) {
  console.warn(`skipping the Samba AD DC suite: ${skip}`);
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);

    return true;
  } catch {
    return false;
  }
};

describe.skipIf(skip !== undefined)('a throw-away Samba AD DC', () => {
  let dc: ThrowawaySamba;
  let startedInMs = 0;

  beforeAll(async () => {
    const began = Date.now();
    dc = await startThrowawaySamba();
    startedInMs = Date.now() - began;
  }, 120_000);

  afterAll(async () => {
    await dc.stop();
  });

  it('answers LDAPS with a certificate of its CA and binds the admin', () => {
    expect(dc.ldapsUrl).toBe(`ldaps://${dc.address}`);
    expect(dc.baseDn).toBe('DC=corp,DC=example');
    expect(String(dc.adminPassword)).toBe('[secret]');
    expect(dc.bindSync(dc.adminDn, dc.adminPassword)).toEqual(
      E.right(undefined),
    );
    expect(startedInMs).toBeLessThan(60_000);
  });

  it('refuses a wrong password with 49 / data 52e', () => {
    const refused = dc.bindSync(dc.adminDn, Secret.of('Not!TheAdmin1'));
    expect(refused).toMatchObject(E.left({ ldapCode: 49, data: '52e' }));
  });

  it('refuses a certificate pinned to another CA', () => {
    const foreign = { ...dc, caFile: dc.foreignCaFile };
    expect(foreign.caFile).not.toBe(dc.caFile);
    // ldapsearch exits with -1 (255) when TLS fails; the bind never happens
    const result = execFileSync(
      'sh',
      [
        '-c',
        'LDAPTLS_CACERT="$1" ldapsearch -H "$2" -x -b "" -s base 1.1 >/dev/null 2>&1; echo $?',
        'probe',
        dc.foreignCaFile,
        dc.ldapsUrl,
      ],
      { encoding: 'utf8' },
    );
    expect(result.trim()).toBe('255');
  });

  it('rejects an old password at once after a reset', async () => {
    const first = Secret.of('Svc!First-1');
    const second = Secret.of('Svc!Second-2');
    await dc.tool.createUser('svc-probe', first);
    const login = `${dc.netbios}\\svc-probe`;
    expect(dc.bindSync(login, first)).toEqual(E.right(undefined));
    await dc.tool.setPassword('svc-probe', second);
    expect(dc.bindSync(`svc-probe@${dc.realm}`, second)).toEqual(
      E.right(undefined),
    );
    expect(dc.bindSync(login, first)).toMatchObject(
      E.left({ ldapCode: 49, data: '52e' }),
    );
  });

  it('reports a disabled account as 533 and a locked one as 775', async () => {
    const password = Secret.of('Svc!Lock-me-1');
    await dc.tool.createUser('svc-lock', password);
    await dc.tool.disable('svc-lock');
    expect(dc.bindSync('CORP\\svc-lock', password)).toMatchObject(
      E.left({ data: '533' }),
    );
    await dc.tool.enable('svc-lock');
    await dc.tool.setPasswordPolicy({
      lockoutThreshold: 2,
      lockoutDurationMinutes: 5,
      resetLockoutAfterMinutes: 5,
    });
    try {
      dc.bindSync('CORP\\svc-lock', Secret.of('wrong-1'));
      dc.bindSync('CORP\\svc-lock', Secret.of('wrong-2'));
      expect(dc.bindSync('CORP\\svc-lock', password)).toMatchObject(
        E.left({ data: '775' }),
      );
      await dc.tool.unlock('svc-lock');
      expect(dc.bindSync('CORP\\svc-lock', password)).toEqual(
        E.right(undefined),
      );
    } finally {
      await dc.tool.setPasswordPolicy({ lockoutThreshold: 0 });
    }
  });

  it('stops by pid and leaves no namespace or folder behind', async () => {
    const { pid, dir } = dc;
    const namespaces = () =>
      execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' });
    await dc.stop();
    expect(alive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(namespaces()).not.toContain(dc.address);
    if (dc.network === 'netns') {
      expect(namespaces()).not.toMatch(/rotor-dc-/u);
    }
  });
});
