import { bootstrapCommandLine, encodeStdin } from '@rotor/windows';
import { describe, expect, it } from 'vitest';
import {
  answerCommandLine,
  maxCommandLineLength,
  type SimHandler,
} from './commandShell.js';

const echo: SimHandler = ({ script, input }) =>
  Promise.resolve({ stdout: `${script}|${input}`, stderr: '', exitCode: 0 });

describe('answering a command line as cmd.exe and PowerShell would', () => {
  it('runs the bootstrap on the decoded stdin', async () => {
    const result = await answerCommandLine(
      bootstrapCommandLine(),
      encodeStdin('# rotor-operation: x\nWrite-Output 1', '{"a":1}'),
      echo,
    );

    expect(result).toEqual({
      stdout: '# rotor-operation: x\nWrite-Output 1|{"a":1}',
      stderr: '',
      exitCode: 0,
    });
  });

  it('refuses a command line one character over the limit', async () => {
    const line = 'x'.repeat(maxCommandLineLength + 1);

    expect(await answerCommandLine(line, '', echo)).toEqual({
      stdout: '',
      stderr: 'The command line is too long.\r\n',
      exitCode: 1,
    });
  });

  it('names an unknown command, quotes removed', async () => {
    const result = await answerCommandLine('"C:\\x y.exe" /q', '', echo);

    expect(result.stderr).toBe(
      "'C:\\x y.exe' is not recognized as an internal or external command,\r\n" +
        'operable program or batch file.\r\n',
    );
    expect(result.exitCode).toBe(1);
  });

  it('reports a handler that throws as a PowerShell error, exit 1', async () => {
    const result = await answerCommandLine(
      bootstrapCommandLine(),
      encodeStdin('x', '{}'),
      () => Promise.reject(new Error('Access is denied')),
    );

    expect(result).toEqual({
      stdout: '',
      stderr: 'Access is denied\r\n',
      exitCode: 1,
    });
  });
});
