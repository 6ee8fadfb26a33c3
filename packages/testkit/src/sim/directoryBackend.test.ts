import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DirectoryBackend } from './directoryBackend.js';
import { SimDomain } from './simDomain.js';
import { SimHost } from './simHost.js';
import { startService } from './serviceControl.js';
import { winError } from './windowsErrors.js';

// A directory that knows one password and records every logon it is asked.
const directory = (password: string) => {
  const asked: string[] = [];
  const backend: DirectoryBackend = {
    verify: (sam, given) => {
      asked.push(sam);

      return given === password
        ? E.right(undefined)
        : E.left(winError('ERROR_LOGON_FAILURE', 'bad password'));
    },
  };

  return { backend, asked };
};

describe('a SimDomain backed by a directory', () => {
  it('asks the directory for every logon, not its own book', () => {
    const dir = directory('at-the-dc');
    const domain = new SimDomain({
      netbios: 'CORP',
      dns: 'corp.example',
      accounts: [{ sam: 'svc-app', password: 'in-the-book' }],
      directory: dir.backend,
    });
    expect(domain.verify('svc-app', 'at-the-dc')).toEqual(E.right(undefined));
    expect(domain.verify('svc-app', 'in-the-book')).toMatchObject(
      E.left({ code: 1326 }),
    );
    expect(domain.accounts.get('svc-app')?.badLogons).toBe(0);
    expect(dir.asked).toEqual(['svc-app', 'svc-app']);
  });

  it('starts a service only with the directory’s password (1069 else)', () => {
    const dir = directory('at-the-dc');
    const domain = new SimDomain({
      netbios: 'CORP',
      dns: 'corp.example',
      accounts: [{ sam: 'svc-app', password: '' }],
      directory: dir.backend,
    });
    const host = new SimHost({
      computerName: 'APP01',
      domain,
      services: [
        {
          name: 'Good',
          state: 'stopped',
          startMode: 'manual',
          account: 'CORP\\svc-app',
          password: 'at-the-dc',
        },
        {
          name: 'Stale',
          state: 'stopped',
          startMode: 'manual',
          account: 'svc-app@corp.example',
          password: 'old',
        },
      ],
    });
    expect(startService(host, 'Good')).toEqual(E.right(undefined));
    expect(startService(host, 'Stale')).toMatchObject(
      E.left({ code: 1069, underlying: 1326 }),
    );
  });

  it('refuses a reset when the directory has none, and keeps the book', () => {
    const domain = new SimDomain({
      netbios: 'CORP',
      dns: 'corp.example',
      accounts: [{ sam: 'svc-app', password: 'x' }],
      directory: directory('y').backend,
    });
    expect(domain.setPassword('svc-app', 'z')).toMatchObject(
      E.left({ name: 'DirectoryReadOnly' }),
    );
    expect(domain.accounts.get('svc-app')?.password).toBe('x');
  });

  it('keeps the in-memory behaviour without a directory', () => {
    const domain = new SimDomain({
      netbios: 'CORP',
      dns: 'corp.example',
      accounts: [{ sam: 'svc-app', password: 'x' }],
    });
    expect(domain.directory).toBeUndefined();
    expect(domain.setPassword('svc-app', 'z')).toEqual(E.right(undefined));
    expect(domain.verify('svc-app', 'z')).toEqual(E.right(undefined));
  });
});
