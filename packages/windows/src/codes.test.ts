import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  classifyLogonFailure,
  serviceReturnName,
  win32CodeOf,
  win32ErrorName,
} from './codes.js';

interface Case {
  readonly id: string;
  readonly input: Record<string, unknown>;
  readonly expected: Record<string, unknown>;
}
const cases = JSON.parse(
  readFileSync(
    new URL('../../../../shared/windows-cases.json', import.meta.url),
    'utf8',
  ),
) as ReadonlyArray<Case>;
const caseOf = (id: string): Case => cases.find((c) => c.id === id) as Case;

describe('Windows codes', () => {
  it('W29: logon failures are classified by whether they prove the password', () => {
    const w29 = caseOf('W29');
    const byObservation = w29.expected['byObservation'] as Record<
      string,
      { class: string; passwordProven: unknown }
    >;
    for (const o of w29.input['observations'] as ReadonlyArray<{
      id: string;
      win32: number;
      name: string;
      taskHresult?: string;
    }>) {
      const want = byObservation[o.id];
      const got = classifyLogonFailure(o.win32);

      expect([o.id, got.class, got.passwordProven]).toEqual([
        o.id,
        want?.class,
        want?.passwordProven,
      ]);
      expect(win32ErrorName(o.win32)).toBe(o.name);
      if (o.taskHresult !== undefined) {
        expect(classifyLogonFailure(Number(o.taskHresult)).class).toBe(
          want?.class,
        );
      }
    }
    // Task registration HRESULTs go through the same table.
    expect(classifyLogonFailure(0x8007052e).class).toBe('WrongPassword');
    expect(classifyLogonFailure(1326).countsAsBadPassword).toBe(true);
    expect(classifyLogonFailure(1907).countsAsBadPassword).toBe(false);
  });

  it('W27: 0x80070520 is ERROR_NO_SUCH_LOGON_SESSION, signed or not', () => {
    expect(win32CodeOf(-2147023584)).toBe(1312);
    expect(win32CodeOf(0x80070520)).toBe(1312);
    expect(win32ErrorName(-2147023584)).toBe('ERROR_NO_SUCH_LOGON_SESSION');
    expect(win32ErrorName(424242)).toBe('WIN32_424242');
  });

  it('W06: Win32_Service return values have their own names', () => {
    expect(serviceReturnName(2)).toBe('AccessDenied');
    expect(serviceReturnName(22)).toBe('InvalidServiceAccount');
    expect(serviceReturnName(4294967295)).toBe('UnknownReturnValue');
  });
});
