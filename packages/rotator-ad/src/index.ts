/**
 * rotor's account rotator for Active Directory: an administrator's reset or
 * the account's own change of its password, over LDAPS with the
 * directory's certificate pinned to a CA, each refusal a typed failure.
 *
 * @packageDocumentation
 */

export { createAdAccountRotator } from './adRotator.js';
export {
  failureOfError,
  failureOfRefusal,
  redactSecrets,
  refusalOf,
} from './adFailure.js';
export { accountFilter, escapeFilterValue, samOfLogin } from './accountName.js';
export { unicodePwdValue } from './unicodePwd.js';

export type { AdAccountRotatorOptions } from './adRotator.js';
export type { AdRefusal } from './adFailure.js';
