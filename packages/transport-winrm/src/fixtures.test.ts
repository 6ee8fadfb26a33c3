import { readStderr } from '@rotor/windows';
import * as E from 'fp-ts/lib/Either.js';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { classifyFault, isTimedOut, type WsmanFault } from './fault.js';
import { actions } from './namespaces.js';
import {
  commandIdOf,
  readReply,
  receiveChunkOf,
  shellIdOf,
  type Reply,
} from './responses.js';

// CI lays shared/ beside the checkout: <repo>/../shared.
const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../..',
);
const fixtures = path.resolve(repoRoot, '../shared/fixtures/winrm');

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);

    return statSync(full).isDirectory() ? walk(full) : [full];
  });

const b64 = (text: string): string => Buffer.from(text).toString('base64');

// Values for the Ruby gem's ERB templates.
const erbValues: Record<string, string> = {
  command_id: '11111111-2222-3333-4444-555555555555',
  test_data_stdout: b64('Hello stdout\r\n'),
  test_data_stderr: b64('Hello stderr\r\n'),
  test_data_stdout1: b64('first '),
  test_data_stdout2: b64('second'),
  error_message: 'Access is denied.',
  error_id: 'Denied',
  category_message: 'PermissionDenied',
  name: 'Error',
  pipeline_state: '3',
  script_root: 'C:\\scripts',
  stack_trace: 'at <ScriptBlock>',
};

const render = (text: string): string =>
  text.replace(/<%=\s*(\w+)\s*%>/g, (_, key: string) => erbValues[key] ?? '');

const load = (rel: string): string => {
  const text = readFileSync(path.join(fixtures, rel), 'utf8');

  return rel.endsWith('.erb') ? render(text) : text;
};

type Expectation =
  | { readonly kind: 'create'; readonly shellId: string }
  | { readonly kind: 'command'; readonly commandId: string }
  | {
      readonly kind: 'receive';
      readonly stdout: string | number;
      readonly stderr: string | number;
      readonly done: boolean;
      readonly exitCode?: number;
      readonly commandId?: string;
    }
  | { readonly kind: 'empty'; readonly action: string }
  | {
      readonly kind: 'fault';
      readonly code: string;
      readonly subcode?: string;
      readonly wsmanCode?: number;
      readonly wmiCode?: number;
      readonly summary: string;
      readonly transient: boolean;
      readonly errorCode: string;
    };

const shellR = 'http://schemas.microsoft.com/wbem/wsman/1/windows/shell/';
const xfer = 'http://schemas.xmlsoap.org/ws/2004/09/transfer/';
const pr = 'pywinrm/pr162_recorded/';
const cmdId = '0DA15A6E-0960-43FF-B54A-91A1A9D36131';
const ipconfig =
  '\r\nWindows IP Configuration\r\n\r\n   Host Name . . . . . . . . . . . . : Server2016\r\n';
const prShell = '4C7F3BB5-B508-4F20-9B6E-C8980CFCADCA';
const timedOut = {
  kind: 'fault',
  code: 'Receiver',
  subcode: 'TimedOut',
  wsmanCode: 2150858793,
  summary: 'operation timed out',
  transient: true,
  errorCode: 'Timeout',
} as const;
const filterFault = {
  kind: 'fault',
  code: 'Sender',
  subcode: 'CannotProcessFilter',
  wsmanCode: 2150858778,
  summary: 'cannot process filter',
  transient: false,
  errorCode: 'ProtocolError',
} as const;
const omiFault = {
  kind: 'fault',
  code: 'Receiver',
  subcode: 'InternalError',
  summary: 'internal error',
  transient: true,
  errorCode: 'ProtocolError',
} as const;

const recordedRun = (
  dir: string,
  receive: Expectation,
  config: Expectation = { kind: 'empty', action: `${xfer}GetResponse` },
): Record<string, Expectation> => ({
  [`${pr}${dir}/1-response.xml`]: config,
  [`${pr}${dir}/2-response.xml`]: { kind: 'create', shellId: prShell },
  [`${pr}${dir}/3-response.xml`]: { kind: 'command', commandId: cmdId },
  [`${pr}${dir}/4-response.xml`]: receive,
  [`${pr}${dir}/5-response.xml`]: {
    kind: 'empty',
    action: `${shellR}SignalResponse`,
  },
  [`${pr}${dir}/6-response.xml`]: {
    kind: 'empty',
    action: `${xfer}DeleteResponse`,
  },
});

const expected: Record<string, Expectation> = {
  'pywinrm/conftest/cleanup_cmd_response.xml': {
    kind: 'empty',
    action: `${shellR}SignalResponse`,
  },
  'pywinrm/conftest/close_shell_response.xml': {
    kind: 'empty',
    action: `${xfer}DeleteResponse`,
  },
  'pywinrm/conftest/get_cmd_output_response.xml': {
    kind: 'receive',
    stdout: 3416,
    stderr: 0,
    done: true,
    exitCode: 0,
  },
  'pywinrm/conftest/get_ps_output_response.xml': {
    kind: 'receive',
    stdout: '',
    stderr: 481,
    done: true,
    exitCode: 1,
  },
  'pywinrm/conftest/open_shell_response.xml': {
    kind: 'create',
    shellId: '11111111-1111-1111-1111-111111111113',
  },
  'pywinrm/conftest/run_cmd_ps_response.xml': {
    kind: 'command',
    commandId: '11111111-1111-1111-1111-1111111111%s4',
  },
  'pywinrm/conftest/run_cmd_req_input_response.xml': {
    kind: 'command',
    commandId: '11111111-1111-1111-1111-111111111111',
  },
  'pywinrm/conftest/run_cmd_send_input_get_output_response.xml': {
    kind: 'receive',
    stdout: 156,
    stderr: 0,
    done: true,
    exitCode: 0,
  },
  'pywinrm/conftest/run_cmd_send_input_response.xml': {
    kind: 'empty',
    action: `${shellR}SendResponse`,
  },
  'pywinrm/conftest/stdin_cmd_cleanup_response.xml': {
    kind: 'empty',
    action: `${shellR}SignalResponse`,
  },
  ...recordedRun('test_run_cmd', {
    kind: 'receive',
    stdout: 2374,
    stderr: 0,
    done: true,
    exitCode: 0,
    commandId: cmdId,
  }),
  ...recordedRun('test_run_cmd_fail', {
    kind: 'receive',
    stdout: '',
    stderr: 95,
    done: true,
    exitCode: 1,
    commandId: cmdId,
  }),
  ...recordedRun(
    'test_run_cmd_get_config_fail',
    {
      kind: 'receive',
      stdout: 2374,
      stderr: 0,
      done: true,
      exitCode: 0,
    },
    {
      kind: 'fault',
      code: 'Sender',
      subcode: 'InvalidMessageInformationHeader',
      wsmanCode: 2150858767,
      summary: 'invalid header',
      transient: false,
      errorCode: 'ProtocolError',
    },
  ),
  ...recordedRun('test_run_cmd_timeout_error', timedOut),
  [`${pr}test_run_cmd_timeout_error/5-response.xml`]: {
    kind: 'receive',
    stdout: 'Test\n',
    stderr: '',
    done: true,
    exitCode: 0,
    commandId: cmdId,
  },
  [`${pr}test_run_cmd_timeout_error/6-response.xml`]: {
    kind: 'empty',
    action: `${shellR}SignalResponse`,
  },
  [`${pr}test_run_cmd_timeout_error/7-response.xml`]: {
    kind: 'empty',
    action: `${xfer}DeleteResponse`,
  },
  ...recordedRun('test_run_ps_in_cmd', {
    kind: 'receive',
    stdout: 'testing\n',
    stderr: '',
    done: true,
    exitCode: 0,
  }),
  ...recordedRun('test_run_ps_in_cmd_fail', {
    kind: 'receive',
    stdout: '',
    stderr: 199,
    done: true,
    exitCode: 1,
  }),
  [`${pr}test_wsmv_mismatch_message_id/1-response.xml`]: {
    kind: 'empty',
    action: `${xfer}GetResponse`,
  },
  [`${pr}test_wsmv_mismatch_message_id/2-response.xml`]: {
    kind: 'create',
    shellId: prShell,
  },
  'pywinrm/test_exceptions/test_wsman_fault_known_fault.xml': timedOut,
  'pywinrm/test_exceptions/test_wsman_fault_must_understand.xml': {
    kind: 'fault',
    code: 'MustUnderstand',
    summary: 'header not understood',
    transient: false,
    errorCode: 'ProtocolError',
  },
  'pywinrm/test_exceptions/test_wsman_fault_no_reason.xml': {
    kind: 'fault',
    code: 'Unknown',
    summary: 'server fault',
    transient: true,
    errorCode: 'ProtocolError',
  },
  'pywinrm/test_exceptions/test_wsman_fault_with_wsmanfault.xml': {
    kind: 'fault',
    code: 'Sender',
    subcode: 'SchemaValidationError',
    wsmanCode: 2150858817,
    summary: 'invalid request (schema validation)',
    transient: false,
    errorCode: 'ProtocolError',
  },
  'pywinrm/test_exceptions/test_wsman_fault_wmi_error_detail.xml': {
    kind: 'fault',
    code: 'Receiver',
    subcode: 'InternalError',
    wmiCode: 2150859174,
    summary: 'internal error',
    transient: true,
    errorCode: 'ProtocolError',
  },
  'ruby-winrm/mock_2013/client/cmd/1.xml': {
    kind: 'create',
    shellId: '180C6C05-D00B-4F88-9ACB-0526F63FA63B',
  },
  'ruby-winrm/mock_2013/client/cmd/2.xml': {
    kind: 'command',
    commandId: 'C42051EC-4C89-47C3-8A8F-59291F5E9D9A',
  },
  'ruby-winrm/mock_2013/client/cmd/3.xml': {
    kind: 'receive',
    stdout: 918,
    stderr: 38,
    done: true,
    exitCode: 0,
  },
  'ruby-winrm/mock_2013/client/cmd/4.xml': {
    kind: 'empty',
    action: `${shellR}SignalResponse`,
  },
  'ruby-winrm/mock_2013/client/disconnect/1.xml': {
    kind: 'create',
    shellId: 'F45453B6-A8A7-46A4-95AB-1B31E03D98AF',
  },
  'ruby-winrm/mock_2013/client/disconnect/2.xml': {
    kind: 'empty',
    action: `${xfer}DeleteResponse`,
  },
  'ruby-winrm/mock_2013/client/powershell/1.xml': {
    kind: 'create',
    shellId: 'ECBA8DAB-B64F-4F1C-A2BC-2943C1158A17',
  },
  'ruby-winrm/mock_2013/client/powershell/2.xml': {
    kind: 'command',
    commandId: '73AE7C78-44B2-4B19-AE62-6F9EAC70B002',
  },
  'ruby-winrm/mock_2013/client/powershell/3.xml': {
    kind: 'receive',
    stdout: 980,
    stderr: 280,
    done: true,
    exitCode: 0,
  },
  'ruby-winrm/mock_2013/client/powershell/4.xml': {
    kind: 'empty',
    action: `${shellR}SignalResponse`,
  },
  'ruby-winrm/mock_2013/enumerate_1.xml': {
    kind: 'empty',
    action:
      'http://schemas.xmlsoap.org/ws/2004/09/enumeration/EnumerateResponse',
  },
  'ruby-winrm/mock_2013/enumerate_2.xml': {
    kind: 'empty',
    action: 'http://schemas.xmlsoap.org/ws/2004/09/enumeration/PullResponse',
  },
  'ruby-winrm/mock_2013/invoke_1.xml': {
    kind: 'empty',
    action:
      'http://schemas.microsoft.com/wbem/wsman/1/wmi/root/cimv2/CIM_DataFile/DeleteResponse',
  },
  'ruby-winrm/mock_2013/open_shell.xml': {
    kind: 'create',
    shellId: '62DE33F0-8674-43D9-B6A5-3298012CC4CD',
  },
  'ruby-winrm/mock_2013/read_output_streams.xml': {
    kind: 'receive',
    stdout: 853,
    stderr: 407,
    done: true,
    exitCode: 0,
  },
  'ruby-winrm/mock_2013/start_process_1.xml': {
    kind: 'command',
    commandId: '35CE9B86-3E89-4AA6-9768-D7EDBF34BCD0',
  },
  'ruby-winrm/mock_2013/wsman_fault.xml': filterFault,
  'ruby-winrm/stubs/responses/get_command_output_response.xml.erb': {
    kind: 'receive',
    stdout: 'Hello stdout\r\n',
    stderr: 'Hello stderr\r\n',
    done: true,
    exitCode: 0,
    commandId: erbValues['command_id'] ?? '',
  },
  'ruby-winrm/stubs/responses/get_command_output_response_not_done.xml.erb': {
    kind: 'receive',
    stdout: 'Hello stdout\r\n',
    stderr: 'Hello stderr\r\n',
    done: false,
  },
  'ruby-winrm/stubs/responses/get_omi_command_output_response.xml.erb': {
    kind: 'receive',
    stdout: '',
    stderr: '',
    done: true,
    exitCode: 0,
  },
  'ruby-winrm/stubs/responses/get_omi_command_output_response_not_done.xml.erb':
    {
      kind: 'receive',
      stdout: 'Hello stdout\r\n',
      stderr: '',
      done: false,
    },
  'ruby-winrm/stubs/responses/get_omi_config_response.xml': omiFault,
  'ruby-winrm/stubs/responses/get_omi_powershell_keepalive_response.xml.erb': {
    kind: 'empty',
    action: '',
  },
  'ruby-winrm/stubs/responses/get_powershell_keepalive_response.xml.erb': {
    kind: 'receive',
    stdout: 'first second',
    stderr: '',
    done: false,
  },
  'ruby-winrm/stubs/responses/get_powershell_output_response.xml.erb': {
    kind: 'receive',
    stdout: 'Hello stdout\r\n',
    stderr: '',
    done: true,
    exitCode: 0,
  },
  'ruby-winrm/stubs/responses/get_powershell_output_response_not_done.xml.erb':
    {
      kind: 'receive',
      stdout: 'Hello stdout\r\n',
      stderr: '',
      done: false,
    },
  'ruby-winrm/stubs/responses/open_shell_omi.xml': {
    kind: 'create',
    shellId: '74142DC5-E14D-4FCC-86ED-63DA3EE8407E',
  },
  'ruby-winrm/stubs/responses/open_shell_v1.xml': {
    kind: 'create',
    shellId: 'uuid:739990FF-1492-4CDD-80BB-6E07ADB06D85',
  },
  'ruby-winrm/stubs/responses/open_shell_v2.xml': {
    kind: 'create',
    shellId: '62DE33F0-8674-43D9-B6A5-3298012CC4CD',
  },
  'ruby-winrm/stubs/responses/soap_fault_omi.xml': omiFault,
  'ruby-winrm/stubs/responses/soap_fault_v1.xml': filterFault,
  'ruby-winrm/stubs/responses/soap_fault_v2.xml': filterFault,
  'ruby-winrm/stubs/responses/wmi_error_v2.xml': {
    kind: 'fault',
    code: 'Sender',
    subcode: 'QuotaLimit',
    wmiCode: 2150859173,
    summary: 'quota exceeded',
    transient: true,
    errorCode: 'CommandRefused',
  },
};

const isRequest = (rel: string): boolean =>
  /-request\.xml$|conftest\/(?!.*_response\.xml$)/.test(rel);

const all = walk(fixtures)
  .map((f) => path.relative(fixtures, f))
  .filter((rel) => /\.xml(\.erb)?$/.test(rel))
  .sort();
const responses = all.filter(
  (rel) => !isRequest(rel) && !rel.startsWith('ruby-winrm/stubs/clixml/'),
);

const reply = (rel: string): Reply => {
  const result = readReply(load(rel));
  if (E.isLeft(result)) {
    throw new Error(`${rel}: ${JSON.stringify(result.left)}`);
  }

  return result.right;
};

const fault = (rel: string): WsmanFault => {
  const result = readReply(load(rel));
  if (E.isRight(result) || result.left._tag !== 'WsmanFault') {
    throw new Error(`${rel} holds no fault`);
  }

  return result.left;
};

const matches = (bytes: Buffer, want: string | number): void => {
  if (typeof want === 'number') {
    expect(bytes.length).toBe(want);
  } else {
    expect(bytes.toString('utf8')).toBe(want);
  }
};

describe('WinRM response fixtures from real Windows and client test suites', () => {
  it('has an expectation for every response fixture', () => {
    expect(responses.length).toBeGreaterThan(70);
    expect(responses.filter((rel) => expected[rel] === undefined)).toEqual([]);
  });

  it.each(responses)('%s', (rel) => {
    const want = expected[rel];
    if (want === undefined) {
      throw new Error(`no expectation for ${rel}`);
    }
    switch (want.kind) {
      case 'create': {
        const r = reply(rel);
        expect(r.action).toBe(`${xfer}CreateResponse`);
        expect(shellIdOf(r)).toEqual(E.right(want.shellId));
        break;
      }
      case 'command': {
        const r = reply(rel);
        expect(r.action).toBe(`${shellR}CommandResponse`);
        expect(commandIdOf(r)).toEqual(E.right(want.commandId));
        break;
      }
      case 'receive': {
        const r = reply(rel);
        const chunk = receiveChunkOf(r, want.commandId);
        if (E.isLeft(chunk)) {
          throw new Error(chunk.left.message);
        }
        matches(chunk.right.stdout, want.stdout);
        matches(chunk.right.stderr, want.stderr);
        expect(chunk.right.done).toBe(want.done);
        expect(chunk.right.exitCode).toBe(want.exitCode);
        break;
      }
      case 'empty': {
        const r = reply(rel);
        if (want.action !== '') {
          expect(r.action).toBe(want.action);
        }
        break;
      }
      case 'fault': {
        const f = fault(rel);
        expect(f.code).toBe(want.code);
        expect(f.subcode).toBe(want.subcode);
        expect(f.wsmanCode).toBe(want.wsmanCode);
        expect(f.wmiCode).toBe(want.wmiCode);
        expect(f.summary).toBe(want.summary);
        expect(classifyFault(f)).toEqual({
          code: want.errorCode,
          transient: want.transient,
        });
        break;
      }
    }
  });

  it('decodes the recorded ipconfig output byte for byte', () => {
    const chunk = receiveChunkOf(reply(`${pr}test_run_cmd/4-response.xml`));
    if (E.isLeft(chunk)) {
      throw new Error(chunk.left.message);
    }
    expect(chunk.right.stdout.toString('utf8').startsWith(ipconfig)).toBe(true);
    expect(chunk.right.stdout.toString('utf8')).toContain(
      'IPv4 Address. . . . . . . . . . . : 192.168.1.6(Preferred)',
    );
  });

  it('treats the recorded w:TimedOut as "poll again"', () => {
    expect(
      isTimedOut(fault(`${pr}test_run_cmd_timeout_error/4-response.xml`)),
    ).toBe(true);
    expect(
      isTimedOut(fault('ruby-winrm/stubs/responses/wmi_error_v2.xml')),
    ).toBe(false);
  });

  it('refuses a reply whose RelatesTo names another request', () => {
    // The recorded Create was sent as ...1111 and answered as ...1112.
    const dir = `${pr}test_wsmv_mismatch_message_id`;
    const sent = /<a:MessageID>([^<]+)</.exec(
      load(`${dir}/2-request.xml`),
    )?.[1];
    const text = load(`${dir}/2-response.xml`);
    const result = readReply(text, sent);
    expect(E.isLeft(result) && result.left._tag).toBe('MalformedReply');
    expect(
      E.isRight(readReply(text, 'uuid:11111111-1111-1111-1111-111111111112')),
    ).toBe(true);
  });

  it('decodes CLIXML on stderr into error text (pywinrm conftest)', () => {
    const chunk = receiveChunkOf(
      reply('pywinrm/conftest/get_ps_output_response.xml'),
    );
    if (E.isLeft(chunk)) {
      throw new Error(chunk.left.message);
    }
    const report = readStderr(chunk.right.stderr.toString('utf8'));
    expect(report.errors.join('')).toContain('Write-Error "Error" : Error');
    expect(report.errors.join('')).not.toContain('_x000D_');
  });

  it('decodes the CLIXML error record of the Ruby gem', () => {
    const record = load('ruby-winrm/stubs/clixml/error_record.xml.erb').replace(
      /^<\?xml[^>]*>\s*/,
      '',
    );
    const stderr = `#< CLIXML\r\n<Objs Version="1.1.0.1" xmlns="http://schemas.microsoft.com/powershell/2004/04">${record.replace('<Obj RefId="0">', '<Obj S="Error" RefId="0">')}</Objs>`;
    expect(readStderr(stderr).errors).toEqual(['Access is denied.']);
  });

  it('parses every request fixture and names its action', () => {
    const requests = all.filter(isRequest);
    expect(requests.length).toBeGreaterThan(40);
    const known = new Set<string>([...Object.values(actions), `${xfer}Get`]);
    for (const rel of requests) {
      const r = reply(rel);
      expect(known.has(r.action ?? ''), rel).toBe(true);
    }
  });
});
