import type { Machine, User } from '../records.js';
import type { Uid } from '../uid.js';
import { testUid } from './uids.js';

/**
 * A Windows machine record for tests, served by `gatewayUid`; `overrides`
 * replace any field (pass `os: undefined` through `withoutOs`).
 *
 * @category testing
 */
export const testMachine = (
  name: string,
  gatewayUid: Uid,
  overrides: Partial<Machine> = {},
): Machine => ({
  type: 'machine',
  uid: testUid(name),
  name,
  host: `${name}.contoso.test`,
  port: 5986,
  protocol: 'winrm',
  gatewayUid,
  adminUserUid: testUid('admin'),
  os: 'windows',
  ...overrides,
});

/**
 * The same machine with no `os` field at all.
 *
 * @category testing
 */
export const withoutOs = (machine: Machine): Machine => {
  const { os: _os, ...rest } = machine;

  return rest;
};

/**
 * A domain user record for tests.
 *
 * @category testing
 */
export const testUser = (
  name: string,
  overrides: Partial<User> = {},
): User => ({
  type: 'user',
  uid: testUid(name),
  title: name,
  login: `CONTOSO\\${name}`,
  scope: 'domain',
  ...overrides,
});
