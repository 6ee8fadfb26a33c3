import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * Cases of ../shared/windows-cases.json that belong to another package,
 * with the reason. Every other case must name a test of this package.
 */
const elsewhere: Readonly<Record<string, string>> = {
  W19: 'WinRM reply handling (OperationTimeout, envelope size, 401, TLS) is @rotor/transport-winrm',
  W28: 'grouping task updates by (host, account) and refusing single-task rollback is the engine plan',
  W33: 'canary-first restarts and the lockout budget are the engine; classifyLogonFailure (W29) feeds it',
};

const ids = (
  JSON.parse(
    readFileSync(
      new URL('../../../../shared/windows-cases.json', import.meta.url),
      'utf8',
    ),
  ) as ReadonlyArray<{ id: string }>
).map((c) => c.id);

const testTexts = readdirSync(new URL('./', import.meta.url))
  .filter((f) => f.endsWith('.test.ts') && f !== 'cases.test.ts')
  .map((f) => readFileSync(new URL(f, import.meta.url), 'utf8'));

describe('windows-cases.json', () => {
  it("every case is a named test here, or is listed as another package's", () => {
    const missing = ids.filter(
      (id) =>
        elsewhere[id] === undefined &&
        !testTexts.some((text) =>
          new RegExp(`it(\\.each\\([^)]*\\))?\\(\\s*['"\`]${id}[:/]`).test(
            text,
          ),
        ),
    );

    expect(missing).toEqual([]);
  });

  it("lists no case as another package's that is not in the file", () => {
    expect(Object.keys(elsewhere).filter((id) => !ids.includes(id))).toEqual(
      [],
    );
  });
});
