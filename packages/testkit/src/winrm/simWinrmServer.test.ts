import { Secret } from '@rotor/core';
import { bootstrapCommandLine, encodeStdin } from '@rotor/windows';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimHandler } from '../ssh/commandShell.js';
import { startSimWinrmServer, type SimWinrmServer } from './simWinrmServer.js';
import { kid, kids, parseSimXml, type SimXmlNode } from './xml.js';
import { uris } from './soap.js';

// Requests recorded from real clients (pywinrm PR #162, pywinrm's conftest)
// replayed against the simulated server, plus the faults it must answer.
const repoRoot = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../..',
);
const fixtures = path.resolve(repoRoot, '../shared/fixtures/winrm/pywinrm');
const fixture = (rel: string): string =>
  readFileSync(path.join(fixtures, rel), 'utf8');

const recordedShell = '4C7F3BB5-B508-4F20-9B6E-C8980CFCADCA';
const recordedCommand = '0DA15A6E-0960-43FF-B54A-91A1A9D36131';
const conftestShell = '11111111-1111-1111-1111-111111111113';
const conftestCommand = '11111111-1111-1111-1111-111111111111';

const handler: SimHandler = ({ input }) =>
  Promise.resolve({ stdout: `got ${input}`, stderr: '', exitCode: 7 });

let server: SimWinrmServer;

beforeAll(async () => {
  server = await startSimWinrmServer({
    handler,
    users: [{ username: 'vagrant', password: Secret.of('vagrant') }],
    maxShellsPerUser: 2,
    maxOperationTimeoutMs: 500,
  });
});

afterAll(async () => {
  await server.stop();
});

interface Posted {
  readonly status: number;
  readonly envelope: SimXmlNode | undefined;
  readonly headers: Record<string, unknown>;
}

const post = (body: string, password = 'vagrant'): Promise<Posted> =>
  new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path: '/wsman',
        method: 'POST',
        // The server's own self-signed certificate; only this test client.
        rejectUnauthorized: false,
        headers: {
          'Content-Type': 'application/soap+xml;charset=UTF-8',
          Authorization: `Basic ${Buffer.from(`vagrant:${password}`).toString('base64')}`,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            envelope: text === '' ? undefined : parseSimXml(text),
            headers: res.headers,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });

const header = (p: Posted, name: string): string | undefined =>
  kid(kid(p.envelope, uris.s, 'Header'), uris.a, name)?.text;
const body = (p: Posted): SimXmlNode | undefined =>
  kid(p.envelope, uris.s, 'Body');
const faultCode = (p: Posted): string | undefined =>
  kid(
    kid(kid(body(p), uris.s, 'Fault'), uris.s, 'Detail'),
    uris.f,
    'WSManFault',
  )?.attrs['Code'];

const createShell = async (): Promise<string> => {
  const created = await post(
    fixture('pr162_recorded/test_run_cmd/2-request.xml'),
  );
  expect(created.status).toBe(200);
  const selector = kids(
    kid(
      kid(
        kid(body(created), uris.x, 'ResourceCreated'),
        uris.a,
        'ReferenceParameters',
      ),
      uris.w,
      'SelectorSet',
    ),
    uris.w,
    'Selector',
  )[0];

  return selector?.text ?? '';
};

describe('the simulated WinRM server answering recorded client requests', () => {
  it('runs the recorded Create, Command, Receive, Signal, Delete sequence', async () => {
    const dir = 'pr162_recorded/test_run_cmd';
    const shellId = await createShell();
    const withShell = (rel: string): string =>
      fixture(`${dir}/${rel}`).replaceAll(recordedShell, shellId);
    const command = await post(withShell('3-request.xml'));
    expect(header(command, 'RelatesTo')).toBe(
      'uuid:11111111-1111-1111-1111-111111111111',
    );
    const commandId =
      kid(
        kid(body(command), uris.rsp, 'CommandResponse'),
        uris.rsp,
        'CommandId',
      )?.text ?? '';
    const received = await post(
      withShell('4-request.xml').replaceAll(recordedCommand, commandId),
    );
    expect(header(received, 'Action')).toBe(`${uris.rsp}/ReceiveResponse`);
    const response = kid(body(received), uris.rsp, 'ReceiveResponse');
    const stderr = kids(response, uris.rsp, 'Stream')
      .filter((s) => s.attrs['Name'] === 'stderr')
      .map((s) => Buffer.from(s.text, 'base64').toString('utf8'))
      .join('');
    // "ipconfig /all" through cmd.exe on a host that only runs rotor's bootstrap.
    expect(stderr).toContain("'ipconfig' is not recognized");
    const state = kid(response, uris.rsp, 'CommandState');
    expect(state?.attrs['State']).toBe(`${uris.rsp}/CommandState/Done`);
    expect(kid(state, uris.rsp, 'ExitCode')?.text).toBe('1');
    const signal = await post(
      withShell('5-request.xml').replaceAll(recordedCommand, commandId),
    );
    expect(header(signal, 'Action')).toBe(`${uris.rsp}/SignalResponse`);
    const deleted = await post(withShell('6-request.xml'));
    expect(deleted.status).toBe(200);
    expect(header(deleted, 'Action')).toBe(
      'http://schemas.xmlsoap.org/ws/2004/09/transfer/DeleteResponse',
    );
    // After Delete the shell is gone: 2150858843, HTTP 500.
    const again = await post(withShell('6-request.xml'));
    expect(again.status).toBe(500);
    expect(faultCode(again)).toBe('2150858843');
  });

  it('takes stdin from a pywinrm Send (End="false", rsp redeclared) and a later End', async () => {
    const shellId = await createShell();
    const line = bootstrapCommandLine();
    const command = await post(
      fixture('conftest/run_cmd_wo_args_request.xml')
        .replaceAll(conftestShell, shellId)
        .replace(
          /<rsp:Command>[^<]*<\/rsp:Command>/,
          `<rsp:Command><![CDATA[${line}]]></rsp:Command>`,
        ),
    );
    const commandId =
      kid(
        kid(body(command), uris.rsp, 'CommandResponse'),
        uris.rsp,
        'CommandId',
      )?.text ?? '';
    const stdin = Buffer.from(
      encodeStdin('# rotor-operation: echo\n', '{"a":1}'),
    );
    // Base64 with line breaks, as Ruby's encode64 writes it.
    const wrapped = stdin.toString('base64').replace(/(.{60})/g, '$1\n');
    const send = fixture('conftest/run_cmd_send_input.xml')
      .replaceAll(conftestShell, shellId)
      .replaceAll(conftestCommand, commandId)
      .replace('ZWNobyAiaGVsbG8gd29ybGQiICYmIGV4aXQNCg==', wrapped);
    expect((await post(send)).status).toBe(200);
    const receive = fixture('conftest/run_cmd_send_input_get_output.xml')
      .replaceAll(conftestShell, shellId)
      .replaceAll(conftestCommand, commandId);
    const received = await post(receive);
    const response = kid(body(received), uris.rsp, 'ReceiveResponse');
    const stdout = kids(response, uris.rsp, 'Stream')
      .filter((s) => s.attrs['Name'] === 'stdout')
      .map((s) => Buffer.from(s.text, 'base64').toString('utf8'))
      .join('');
    expect(stdout).toBe('got {"a":1}');
    expect(
      kid(kid(response, uris.rsp, 'CommandState'), uris.rsp, 'ExitCode')?.text,
    ).toBe('7');
  });

  it('answers w:TimedOut (2150858793) when no output comes within the operation time-out', async () => {
    const shellId = await createShell();
    const command = await post(
      fixture('conftest/run_cmd_wo_args_request.xml')
        .replaceAll(conftestShell, shellId)
        .replace(
          /<rsp:Command>[^<]*<\/rsp:Command>/,
          `<rsp:Command>${bootstrapCommandLine()}</rsp:Command>`,
        ),
    );
    const commandId =
      kid(
        kid(body(command), uris.rsp, 'CommandResponse'),
        uris.rsp,
        'CommandId',
      )?.text ?? '';
    // No stdin yet: the bootstrap waits for it, so Receive times out.
    const received = await post(
      fixture('conftest/run_cmd_send_input_get_output.xml')
        .replaceAll(conftestShell, shellId)
        .replaceAll(conftestCommand, commandId),
    );
    expect(received.status).toBe(500);
    expect(faultCode(received)).toBe('2150858793');
    // The fixture's MessageID is the same uuid as its CommandId, replaced.
    expect(header(received, 'RelatesTo')).toBe(`uuid:${commandId}`);
  });

  it('enforces the shells-per-user quota with the QuotaLimit fault', async () => {
    const results: Posted[] = [];
    for (let i = 0; i < 3; i++) {
      results.push(
        await post(fixture('pr162_recorded/test_run_cmd/2-request.xml')),
      );
    }
    const refused = results.find((r) => r.status === 500);
    expect(refused).toBeDefined();
    if (refused !== undefined) {
      expect(faultCode(refused)).toBe('2150859173');
    }
  });

  it('refuses a request without Action as an invalid header (2150858767)', async () => {
    const text = fixture('pr162_recorded/test_run_cmd/2-request.xml').replace(
      /<a:Action[^>]*>[^<]*<\/a:Action>/,
      '',
    );
    const answer = await post(text);
    expect(answer.status).toBe(500);
    expect(faultCode(answer)).toBe('2150858767');
  });

  it('asks for a logon with Negotiate and Basic on a wrong password', async () => {
    const answer = await post(
      fixture('pr162_recorded/test_run_cmd/2-request.xml'),
      'wrong',
    );
    expect(answer.status).toBe(401);
    expect(String(answer.headers['www-authenticate'])).toMatch(/Negotiate/);
    expect(String(answer.headers['www-authenticate'])).toMatch(
      /Basic realm="WSMAN"/,
    );
  });
});
