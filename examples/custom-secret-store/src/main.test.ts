import { describe, expect, it } from 'vitest';
import { demoPasswords } from '@rotor/testkit';
import { main } from './main.js';

describe('the custom secret store and account rotator example', () => {
  it('stages the new password in the vault, changes it in the directory, then promotes it', async () => {
    const { events, vault, audit, fleet, userUid, jobId } = await main();

    expect(events.at(-1)).toMatchObject({
      type: 'JobFinished',
      data: { status: 'finished' },
    });
    const record = vault.get(userUid);
    expect(record?.current).toBe(2);
    expect(record?.versions[1]?.jobId).toBe(jobId);
    const next = record?.versions[1]?.password.reveal() ?? '';
    // The directory has it (a restart logs on with it), and so do the hosts.
    expect(fleet.domain?.verify('svc-app', next)._tag).toBe('Right');
    const app = fleet.hostByKey.get('app01');
    expect(app?.service('AppSvc')).toMatchObject({
      state: 'running',
      password: next,
    });
    // Staged before the change, promoted after, in that order.
    const actions = audit.map((a) => a.action);
    expect(actions).toContain('stage');
    expect(actions.indexOf('stage')).toBeLessThan(actions.indexOf('promote'));
    expect(audit).toContainEqual({
      action: 'promote',
      userUid,
      version: 2,
    });
    expect(JSON.stringify(audit)).not.toContain(next);
  });

  it('leaves the vault current and every dependent alone when the directory refuses', async () => {
    const { events, vault, audit, fleet, userUid } = await main(true);

    const end = events.at(-1);
    expect(end).toMatchObject({
      type: 'JobFinished',
      data: { status: 'failed' },
    });
    const refused = events.find((e) => e.type === 'PasswordChangeFailed');
    expect(refused?.data).toMatchObject({
      error: { code: 'DirectoryRefused', transient: false },
    });
    // The client echoed the password; the rotator cut it out.
    expect(refused?.data).toMatchObject({
      error: { message: 'policy refuses [secret] for svc-app' },
    });
    const staged = vault.get(userUid)?.versions[1]?.password.reveal() ?? '';
    expect(staged).not.toBe('');
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(staged);
    expect(vault.get(userUid)?.current).toBe(1);
    expect(audit.map((a) => a.action)).not.toContain('promote');
    expect(events.filter((e) => e.type.endsWith('CredentialUpdated'))).toEqual(
      [],
    );
    expect(fleet.hostByKey.get('app01')?.service('AppSvc')?.password).toBe(
      demoPasswords['svc-app'],
    );
  });
});
