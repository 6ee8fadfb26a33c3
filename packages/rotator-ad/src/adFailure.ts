import { failure, type Failure, type Secret } from '@rotor/core';

/**
 * What Active Directory said when it refused: the LDAP result code, the
 * extended error at the start of its text (`0000052D`, `00000056`, …) and
 * the `data` sub-code of a bind refusal (`52e`, `775`, `533`, …).
 *
 * @category model
 */
export interface AdRefusal {
  readonly resultCode: number;
  readonly extendedError?: string;
  readonly data?: string;
  /** The server's text, without ldapts's ` Code: 0x..` suffix. */
  readonly text: string;
}

const resultNames: Readonly<Record<number, string>> = {
  1: 'operationsError',
  2: 'protocolError',
  3: 'timeLimitExceeded',
  8: 'strongAuthRequired',
  16: 'noSuchAttribute',
  19: 'constraintViolation',
  32: 'noSuchObject',
  34: 'invalidDNSyntax',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  51: 'busy',
  52: 'unavailable',
  53: 'unwillingToPerform',
  80: 'other',
};

/**
 * Reads a refusal out of an ldapts result error (an `Error` with a numeric
 * `code`), or `undefined` for any other error.
 *
 * @category decoders
 */
export const refusalOf = (error: unknown): AdRefusal | undefined => {
  if (!(error instanceof Error)) {
    return undefined;
  }
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code !== 'number') {
    return undefined;
  }
  const text = error.message.replace(/\s*Code: 0x[0-9a-f]+$/i, '');
  const extended = /^([0-9A-F]{8}):/i.exec(text)?.[1]?.toUpperCase();
  const data = /\bdata ([0-9a-f]{1,8})\b/i.exec(text)?.[1]?.toLowerCase();

  return {
    resultCode: code,
    text,
    ...(extended === undefined ? {} : { extendedError: extended }),
    ...(data === undefined ? {} : { data }),
  };
};

/** Removes every given password from a text. @category decoders */
export const redactSecrets = (
  text: string,
  secrets: ReadonlyArray<Secret | undefined>,
): string =>
  secrets.reduce<string>((acc, secret) => {
    const value = secret?.reveal() ?? '';

    return value === '' ? acc : acc.split(value).join('[secret]');
  }, text);

interface Meaning {
  readonly code: string;
  readonly meaning: string;
  readonly windowsCode?: number;
  readonly transient?: boolean;
}

// The `data` sub-code of a bind refusal is a Win32 error in hex.
const bindMeanings: Readonly<Record<string, Meaning>> = {
  '52e': {
    code: 'InvalidCredentials',
    meaning: 'wrong password or unknown account',
    windowsCode: 1326,
  },
  '775': {
    code: 'AccountLockedOut',
    meaning: 'the account is locked out',
    windowsCode: 1909,
  },
  '533': {
    code: 'AccountDisabled',
    meaning: 'the account is disabled',
    windowsCode: 1331,
  },
  '532': {
    code: 'PasswordExpired',
    meaning: 'the password has expired',
    windowsCode: 1330,
  },
  '773': {
    code: 'PasswordMustChange',
    meaning: 'the password must be changed at next logon',
    windowsCode: 1907,
  },
  '701': {
    code: 'AccountExpired',
    meaning: 'the account has expired',
    windowsCode: 1793,
  },
  '530': {
    code: 'LogonNotPermitted',
    meaning: 'logon not permitted at this time',
    windowsCode: 1328,
  },
  '531': {
    code: 'LogonNotPermitted',
    meaning: 'logon not permitted from this workstation',
    windowsCode: 1329,
  },
};

const constraintMeaning = (text: string): Meaning => {
  const lower = text.toLowerCase();
  const restriction = (code: string, meaning: string): Meaning => ({
    code,
    meaning,
    windowsCode: 1325,
  });
  if (lower.includes('too short')) {
    return restriction('PasswordTooShort', 'the password is too short');
  }
  if (lower.includes('complexity')) {
    return restriction(
      'PasswordNotComplex',
      'the password does not meet the complexity rules',
    );
  }
  if (lower.includes('too young')) {
    return restriction(
      'PasswordTooYoung',
      'the password is younger than the minimum age',
    );
  }
  if (lower.includes('history') || lower.includes('previous password')) {
    return restriction(
      'PasswordInHistory',
      'the password was used before (history)',
    );
  }

  return restriction(
    'PasswordRestriction',
    'the password does not meet the domain policy',
  );
};

const meaningOf = (refusal: AdRefusal): Meaning => {
  const ext = refusal.extendedError;
  switch (refusal.resultCode) {
    case 49:
      return (
        bindMeanings[refusal.data ?? '52e'] ?? {
          code: 'InvalidCredentials',
          meaning: 'the bind was refused',
          windowsCode: Number.parseInt(refusal.data ?? '52e', 16),
        }
      );
    case 19:
      if (ext === '00000056') {
        return {
          code: 'OldPasswordMismatch',
          meaning: 'the current password given is not the account’s',
          windowsCode: 86,
        };
      }

      return ext === '0000052D' ||
        refusal.text.includes('check_password_restrictions')
        ? constraintMeaning(refusal.text)
        : { code: 'ConstraintViolation', meaning: 'constraint violation' };
    case 50:
      return {
        code: 'InsufficientAccess',
        meaning: 'the bound account may not change this password',
        windowsCode: 5,
      };
    case 53:
      return {
        code: 'UnwillingToPerform',
        meaning: 'the directory refused to change the password',
      };
    case 8:
    case 13:
      return {
        code: 'StrongAuthRequired',
        meaning: 'the directory requires an encrypted connection',
      };
    case 32:
      return { code: 'AccountNotFound', meaning: 'no such object' };
    case 3:
    case 51:
    case 52:
      return {
        code: 'DirectoryBusy',
        meaning: 'the directory is busy or unavailable',
        transient: true,
      };
    default:
      return { code: 'DirectoryRefused', meaning: 'the directory refused' };
  }
};

/**
 * The {@link Failure} of an Active Directory refusal: a code that says
 * what went wrong (`PasswordTooShort`, `PasswordNotComplex`,
 * `PasswordInHistory`, `PasswordTooYoung`, `OldPasswordMismatch`,
 * `InsufficientAccess`, `InvalidCredentials`, `AccountLockedOut`,
 * `AccountDisabled`, …), the Win32 error as `windowsCode` (1325 for a
 * policy refusal, 1326/1909/1331 for a bind), and a message naming the
 * step, the LDAP result code and the extended error, with every password
 * removed.
 *
 * @category decoders
 */
export const failureOfRefusal = (
  step: string,
  refusal: AdRefusal,
  secrets: ReadonlyArray<Secret | undefined>,
): Failure => {
  const m = meaningOf(refusal);
  const name = resultNames[refusal.resultCode] ?? 'result';
  const detail = redactSecrets(refusal.text, secrets);

  return failure(
    m.code,
    `${step}: ${m.meaning} (LDAP ${refusal.resultCode} ${name}${
      refusal.extendedError === undefined ? '' : `, ${refusal.extendedError}`
    }${refusal.data === undefined ? '' : `, data ${refusal.data}`}): ${detail}`,
    {
      transient: m.transient ?? false,
      ...(m.windowsCode === undefined ? {} : { windowsCode: m.windowsCode }),
    },
  );
};

const tlsCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

const unreachableCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/**
 * The {@link Failure} of any error of a step: a directory refusal (see
 * {@link failureOfRefusal}); a certificate that does not verify against
 * the pinned CA (`TlsCertificateRejected`, not transient); a directory
 * that cannot be reached or timed out (`Unreachable`/`Timeout`,
 * transient); else `DirectoryError`.
 *
 * @category decoders
 */
export const failureOfError = (
  step: string,
  error: unknown,
  secrets: ReadonlyArray<Secret | undefined>,
): Failure => {
  const refusal = refusalOf(error);
  if (refusal !== undefined) {
    return failureOfRefusal(step, refusal, secrets);
  }
  const message = redactSecrets(
    error instanceof Error ? error.message : String(error),
    secrets,
  );
  const code: unknown = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && tlsCodes.has(code)) {
    return failure(
      'TlsCertificateRejected',
      `${step}: the directory's certificate does not verify against the pinned CA (${code}): ${message}`,
    );
  }
  if (typeof code === 'string' && unreachableCodes.has(code)) {
    return failure('Unreachable', `${step}: ${code}: ${message}`, {
      transient: true,
    });
  }
  if (/timed? ?out/i.test(message)) {
    return failure('Timeout', `${step}: ${message}`, { transient: true });
  }

  return failure('DirectoryError', `${step}: ${message}`);
};
