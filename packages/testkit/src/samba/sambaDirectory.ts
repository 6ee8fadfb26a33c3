import * as E from 'fp-ts/lib/Either.js';
import { Secret } from '@rotor/core';
import type { DirectoryBackend } from '../sim/directoryBackend.js';
import { type WinError, winError } from '../sim/windowsErrors.js';
import type { BindRefusal } from './ldapBindSync.js';
import type { ThrowawaySamba } from './throwawaySamba.js';

const noLogonServers = 1311;

const knownRefusals: Readonly<Record<string, () => WinError>> = {
  '775': () =>
    winError('ERROR_ACCOUNT_LOCKED_OUT', 'the account is locked out'),
  '533': () => winError('ERROR_ACCOUNT_DISABLED', 'account disabled'),
  '52e': () => winError('ERROR_LOGON_FAILURE', 'bad user name or password'),
};

/**
 * The Windows logon error of a bind refusal: Active Directory's `data`
 * sub-code is the Win32 error in hex (52e 1326, 775 1909, 533 1331); a
 * refusal without one is a wrong password (49) or no DC (1311).
 *
 * @category testing
 */
export const logonErrorOfRefusal = (refusal: BindRefusal): WinError => {
  const known =
    refusal.data === undefined ? undefined : knownRefusals[refusal.data];
  if (known !== undefined) {
    return known();
  }
  if (refusal.data !== undefined) {
    const code = Number.parseInt(refusal.data, 16);

    return {
      _tag: 'WinError',
      code,
      name: `WIN32_${code}`,
      message: `the DC refused the logon (data ${refusal.data})`,
    };
  }

  return refusal.ldapCode === 49
    ? winError('ERROR_LOGON_FAILURE', 'bad user name or password')
    : {
        _tag: 'WinError',
        code: noLogonServers,
        name: 'ERROR_NO_LOGON_SERVERS',
        message: `the DC could not be asked: ${refusal.message}`,
      };
};

/**
 * A {@link DirectoryBackend} over a throw-away Samba DC: every logon of a
 * simulated host is an LDAPS simple bind as `NETBIOS\\sam` at the DC, made
 * synchronously, so the DC's current password is the only one that works,
 * and a wrong one counts a bad logon (and locks out) at the DC. Resets go
 * through `samba-tool`, which is asynchronous, so this backend has none:
 * rotate through an account rotator instead.
 *
 * @example
 * const domain = new SimDomain({ netbios: dc.netbios, dns: dc.dnsDomain,
 *   accounts: [{ sam: 'svc-app', password: '' }], directory: sambaDirectory(dc) });
 *
 * @category testing
 */
export const sambaDirectory = (
  dc: Pick<ThrowawaySamba, 'netbios' | 'bindSync'>,
): DirectoryBackend => ({
  verify: (sam, password) =>
    E.mapLeft(logonErrorOfRefusal)(
      dc.bindSync(`${dc.netbios}\\${sam}`, Secret.of(password)),
    ),
});
