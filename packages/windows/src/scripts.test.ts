import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Language, Parser } from 'web-tree-sitter';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bootstrapCommandLine,
  bootstrapScript,
  decodeStdin,
  encodeStdin,
  operationOfScript,
} from './bootstrap.js';
import { win32ErrorNames } from './codes.js';
import { operationNames } from './protocol.js';
import {
  inlinePrelude,
  operationScript,
  preludeSource,
  remoteCommand,
  scriptSource,
} from './scripts.js';

const scriptsFolder = new URL('../scripts/', import.meta.url);
const grammar = fileURLToPath(
  new URL(
    '../node_modules/tree-sitter-powershell/tree-sitter-powershell.wasm',
    import.meta.url,
  ),
);

let parser: Parser;

beforeAll(async () => {
  await Parser.init();
  parser = new Parser();
  parser.setLanguage(await Language.load(grammar));
});

/** Where the PowerShell grammar found errors, as `row:column type`. */
const syntaxErrors = (text: string): string[] => {
  const tree = parser.parse(text);
  if (tree === null) {
    return ['no tree'];
  }
  const found: string[] = [];
  const visit = (node: NonNullable<typeof tree>['rootNode']): void => {
    if (node.isError || node.isMissing) {
      found.push(
        `${node.startPosition.row + 1}:${node.startPosition.column} ${node.type}`,
      );
    }
    for (const child of node.children) {
      if (child !== null) {
        visit(child);
      }
    }
  };
  visit(tree.rootNode);
  tree.delete();

  return found;
};

describe('the PowerShell scripts', () => {
  it('are one file per operation, plus the prelude', () => {
    const files = readdirSync(scriptsFolder).filter((f) => f.endsWith('.ps1'));

    expect(files.sort()).toEqual(
      ['_prelude.ps1', ...operationNames.map((o) => `${o}.ps1`)].sort(),
    );
  });

  it('the grammar catches a broken script (the check is real)', () => {
    expect(syntaxErrors('if ($x) { Write-Output "a"')).not.toEqual([]);
  });

  it('the prelude parses without error', () => {
    expect(syntaxErrors(preludeSource())).toEqual([]);
  });

  it.each(operationNames)('%s parses, as written and as sent', (operation) => {
    expect(syntaxErrors(scriptSource(operation))).toEqual([]);
    expect(syntaxErrors(operationScript(operation))).toEqual([]);
  });

  it.each(operationNames)(
    '%s starts with its marker line, also as sent',
    (operation) => {
      expect(scriptSource(operation).split('\n')[0]).toBe(
        `# rotor-operation: ${operation}`,
      );
      expect(operationOfScript(operationScript(operation))).toBe(operation);
    },
  );

  it.each(operationNames)(
    '%s takes param([string]$InputJson) and gets the prelude after it',
    (operation) => {
      const sent = operationScript(operation);
      const param = sent.indexOf('param([string]$InputJson)');

      expect(param).toBeGreaterThan(0);
      expect(sent.indexOf('function Exit-RotorOk')).toBeGreaterThan(param);
      expect(sent).not.toContain("'_prelude.ps1') # rotor-prelude");
      expect(sent).toContain('Read-RotorInput $InputJson');
    },
  );

  it.each(['_prelude', ...operationNames])(
    '%s is pure ASCII (5.1 reads a BOM-less script in the ANSI code page)',
    (name) => {
      const text = readFileSync(new URL(`${name}.ps1`, scriptsFolder), 'utf8');

      expect(/^[\t\n\r\x20-\x7e]*$/.test(text)).toBe(true);
    },
  );

  it('inlinePrelude refuses a script without the prelude line', () => {
    expect(() => inlinePrelude('# rotor-operation: x\n', 'p')).toThrow();
  });

  it('the prelude names the same Win32 errors as codes.ts', () => {
    const table = /\$script:RotorCodeNames = @\{([\s\S]*?)\n\}/.exec(
      preludeSource(),
    )?.[1];
    const entries = [...(table ?? '').matchAll(/(\d+) = '([A-Za-z_]+)'/g)].map(
      (m) => [Number(m[1]), m[2]],
    );

    expect(Object.fromEntries(entries)).toEqual(win32ErrorNames);
  });

  it('W32: no script reads a whole processModel or runs appcmd /text:* or /config', () => {
    for (const operation of operationNames) {
      const text = operationScript(operation);

      expect(text).not.toMatch(/appcmd[^\n]*\/(text:\*|config)/i);
      expect(text).not.toMatch(/\.processModel\s*\|/i);
      expect(text).not.toMatch(/-Name\s+'?processModel'?\s/i);
    }
    // No result document has a password key (hashtable entries only;
    // `$model.Password = ` is the write to IIS, not output).
    for (const operation of operationNames) {
      expect(scriptSource(operation)).not.toMatch(/(^|[{;\s])password\s*=/im);
    }
    expect(operationScript('enumerate-dependents')).toContain(
      "-Name 'processModel.userName'",
    );
  });

  it('W06: the service password is written through Win32_Service.Change with StartName and StartPassword', () => {
    const text = scriptSource('set-service-credential');

    expect(text).toContain("'Change'");
    expect(text).toContain("Create('StartName', $account");
    expect(text).toContain("Create('StartPassword', $password");
    expect(text).toContain('$returnValue -ne 0');
  });

  it('W07: no script calls sc, sc.exe or schtasks', () => {
    for (const operation of operationNames) {
      expect(operationScript(operation)).not.toMatch(
        /(^|[\s;(])(sc|sc\.exe|schtasks(\.exe)?)\s/im,
      );
    }
  });

  it('W11: tasks are found by folder and name through the Task Scheduler API', () => {
    const text = scriptSource('set-task-credential');

    expect(text).toContain('$scheduler.GetFolder($folderPath)');
    expect(text).toContain('$folder.GetTask($taskName)');
    expect(text).toContain('RegisterTaskDefinition($taskName, $definition, 4');
  });

  it('W12: the password reaches scripts only as a variable read from the input', () => {
    for (const operation of operationNames) {
      const text = operationScript(operation);
      // Never a cmdlet parameter bound to the clear-text password.
      expect(text).not.toMatch(
        /-(Password|NewPassword|AsPlainText)\s+\$password/i,
      );
      expect(text).not.toMatch(/ConvertTo-SecureString/i);
      // Never written to a stream other than the one result document.
      expect(text).not.toMatch(
        /Write-(Host|Output|Verbose|Debug|Information)[^\n]*\$password/i,
      );
    }
  });

  it('W23: the bootstrap reads two lines through [Console]::In only, never waiting for end of input', () => {
    expect(
      bootstrapScript.match(/\[Console\]::In\.ReadLine\(\)/g),
    ).toHaveLength(2);
    expect(bootstrapScript).not.toMatch(/\$input|ReadToEnd/i);
    expect(encodeStdin('x', '{}').endsWith('\r\n')).toBe(true);
    // A script reads stdin itself only when run by hand without an argument.
    expect(preludeSource()).toMatch(
      /if \(\[string\]::IsNullOrWhiteSpace\(\$Text\)\) \{\s*\$Text = \[Console\]::In\.ReadToEnd\(\)/,
    );
  });

  it('W24: the bootstrap first prints its language mode by string expansion, and stops outside FullLanguage before reading stdin', () => {
    const statements = bootstrapScript.split(';');

    expect(statements[0]).toBe(
      '"##rotor LANGMODE $($ExecutionContext.SessionState.LanguageMode)"',
    );
    expect(statements[1]).toBe(
      "if($ExecutionContext.SessionState.LanguageMode -ne 'FullLanguage'){exit 1}",
    );
    expect(bootstrapScript.indexOf('FullLanguage')).toBeLessThan(
      bootstrapScript.indexOf('[Console]::In'),
    );
    expect(syntaxErrors(bootstrapScript)).toEqual([]);
  });

  it('W21: the bootstrap runs the script only when its SHA-256 is the one in the input, and echoes the nonce otherwise', () => {
    const check = bootstrapScript.indexOf(
      '$j -notmatch (\'"scriptSha256":"\'+$h+\'"\')',
    );
    const runs = bootstrapScript.indexOf('[ScriptBlock]::Create');

    expect(bootstrapScript).toContain(
      "$h=-join([Security.Cryptography.SHA256]::Create().ComputeHash($b)|%{$_.ToString('x2')})",
    );
    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(runs);
    expect(bootstrapScript.slice(check, runs)).toContain(
      '"name":"ScriptCorrupted"',
    );
    expect(bootstrapScript.slice(check, runs)).toContain('"nonce":"\'+$n+\'"');
    expect(bootstrapScript.slice(check, runs)).toContain('##rotor END');
  });

  it('W23: every operation prints BEGIN once its input is read and checked, before its first change', () => {
    // The first statement that changes the host, per operation.
    const firstChange: Record<string, string> = {
      'set-service-credential':
        "$session.InvokeMethod('root/cimv2', $service, 'Change'",
      'restart-service':
        'foreach ($dependent in $running) { Stop-Controller $dependent }',
      'set-task-credential': '$folder.RegisterTaskDefinition(',
      'set-apppool-credential': '$model.Password = $password',
      'recycle-apppool': 'Restart-WebAppPool -Name $name',
      'change-local-password': '$user.SetPassword($password)',
      'change-domain-password': 'Set-ADAccountPassword -Identity',
      'test-logon': '[RotorLogonCheck]::Check(',
      'enumerate-dependents': '$system = Get-CimInstance',
    };
    for (const operation of operationNames) {
      const text = scriptSource(operation);
      const begin = text.indexOf('Start-RotorChange');
      const change = text.indexOf(firstChange[operation] ?? '?');

      expect([
        operation,
        begin > text.indexOf('Read-RotorInput $InputJson'),
      ]).toEqual([operation, true]);
      expect([operation, change > begin]).toEqual([operation, true]);
    }
    const prelude = preludeSource();
    // The envelope is followed by END, and carries the nonce.
    expect(prelude).toMatch(
      /\[Console\]::Out\.WriteLine\(\(ConvertTo-RotorJson \$Document\)\)\s*\n\s*\[Console\]::Out\.WriteLine\('##rotor END'\)/,
    );
    expect(prelude).toContain("$Document['nonce'] = $script:RotorNonce");
    expect(prelude).toContain("[Console]::Out.WriteLine('##rotor BEGIN')");
  });

  it('issue 8: every change writes an Application event log entry naming the job, never the password', () => {
    const prelude = preludeSource();
    const audit = prelude.slice(
      prelude.indexOf('function Write-RotorAudit'),
      prelude.indexOf('function Start-RotorChange'),
    );

    expect(audit).toContain(
      "[System.Diagnostics.EventLog]::CreateEventSource('rotor', 'Application')",
    );
    expect(audit).toContain(
      "[System.Diagnostics.EventLog]::WriteEntry('rotor', $text, $entryType, $eventId)",
    );
    expect(audit).toContain('Get-RotorSafeText');
    expect(audit).not.toMatch(/\$password/i);
    // Written on success and on failure alike.
    expect(prelude).toMatch(
      /function Exit-RotorOk \{[^}]*Write-RotorAudit \$true/,
    );
    expect(prelude).toMatch(
      /function Exit-RotorError \{[\s\S]*?Write-RotorAudit \$false/,
    );
    for (const operation of [
      'set-service-credential',
      'set-task-credential',
      'set-apppool-credential',
      'restart-service',
      'recycle-apppool',
      'change-local-password',
      'change-domain-password',
    ] as const) {
      expect([
        operation,
        /Start-RotorChange \(/.test(scriptSource(operation)),
      ]).toEqual([operation, true]);
    }
  });

  it('issue 8: restart-service starts a stopped service only when the input says startIfStopped', () => {
    const text = scriptSource('restart-service');
    const resume = text.indexOf(
      "if ([string]$service.Status -eq 'Stopped' -and $startIfStopped) {",
    );

    expect(text).toContain(
      '$startIfStopped = ($request.startIfStopped -eq $true)',
    );
    expect(resume).toBeGreaterThan(0);
    expect(resume).toBeLessThan(text.indexOf("'ERROR_SERVICE_NOT_ACTIVE'"));
    expect(text.slice(resume)).toMatch(
      /Start-RotorChange \('start service ' \+ \$name\)\s*\n\s*Start-Controller \$service/,
    );
  });

  it('W26: every operation that changes or lists the host first requires an elevated administrator', () => {
    const needAdmin = operationNames.filter(
      (o) => o !== 'change-domain-password' && o !== 'test-logon',
    );
    for (const operation of needAdmin) {
      const text = scriptSource(operation);
      const assert = text.indexOf('\nAssert-RotorAdministrator\n');

      expect([operation, assert > 0]).toEqual([operation, true]);
      expect(assert).toBeLessThan(text.indexOf('$request = Read-RotorInput'));
    }
    expect(preludeSource()).toContain(
      'IsInRole([System.Security.Principal.WindowsBuiltInRole]::Administrator)',
    );
  });

  it('W24: the prelude stops before any .NET call outside FullLanguage', () => {
    const prelude = preludeSource();
    const check = prelude.indexOf(
      '$ExecutionContext.SessionState.LanguageMode',
    );

    expect(check).toBeGreaterThan(0);
    expect(check).toBeLessThan(prelude.indexOf('New-Object'));
  });

  it('W09: restart refuses a service that is not running or is Disabled before stopping anything', () => {
    const text = scriptSource('restart-service');
    const body = text.slice(text.indexOf('$service = Get-Service -Name $name'));
    const firstStop = body.indexOf('Stop-Controller $');

    expect(body.indexOf("'ERROR_SERVICE_NOT_ACTIVE'")).toBeLessThan(firstStop);
    expect(body.indexOf("'ERROR_SERVICE_DISABLED'")).toBeLessThan(firstStop);
    expect(body).toMatch(/Start-Controller \$running\[\$i\]/);
  });

  it('W14: recycle only restarts a started pool, after waiting out Starting/Stopping', () => {
    const text = scriptSource('recycle-apppool');

    expect(text).toMatch(
      /if \(\$state -eq 'Started'\) \{\s*Start-RotorChange [^\n]*\n\s*Restart-WebAppPool -Name \$name/,
    );
    expect(text).toMatch(/\$state -eq 'Starting' -or \$state -eq 'Stopping'/);
  });

  it('W18: every operation silences progress records', () => {
    expect(preludeSource()).toContain(
      "$ProgressPreference = 'SilentlyContinue'",
    );
  });
});

describe('the bootstrap command line', () => {
  it("W20: stays far under cmd.exe's 8191 characters, at its exact length", () => {
    const line = bootstrapCommandLine();

    // 58 characters of prefix, then base64 of the UTF-16LE bootstrap:
    // 4 * ceil(2n / 3) for its n = 750 characters (the language-mode
    // marker and the script's SHA-256 check added 545). A change to the
    // bootstrap must update this budget on purpose.
    expect(bootstrapScript.length).toBe(750);
    expect(line.length).toBe(58 + 4 * Math.ceil((2 * 750) / 3));
    expect(line.length).toBe(2058);
    expect(line.length).toBeLessThan(8191 / 3);
    expect(/^[A-Za-z0-9 .+/=-]+$/.test(line)).toBe(true);
  });

  it('carries the largest operation on stdin, not on the command line', () => {
    for (const operation of operationNames) {
      const command = remoteCommand('enumerate-dependents', {
        kinds: ['service'],
      });
      const stdin = encodeStdin(command.script, command.input);

      expect(decodeStdin(stdin)).toEqual({
        script: command.script,
        input: command.input,
      });
      expect(bootstrapCommandLine()).not.toContain(operation);
    }
  });
});
