import type { SimShells } from './simShells.js';
import { type SimCommand, type SimWinrmStats } from './simShells.js';
import {
  durationMs,
  faultEnvelope,
  replyEnvelope,
  simFaults,
  uris,
  type SimFault,
} from './soap.js';
import { kid, kids, parseSimXml, xmlText, type SimXmlNode } from './xml.js';

/** An HTTP status and SOAP body to answer. @category testing */
export interface SimAnswer {
  readonly status: number;
  readonly body: string;
}

type Answer = SimAnswer;

interface Request {
  readonly action: string;
  readonly messageId: string;
  readonly shellId: string | undefined;
  readonly operationTimeoutMs: number;
  readonly maxEnvelopeSize: number;
  readonly options: ReadonlyMap<string, string>;
  readonly body: SimXmlNode | undefined;
}
const action = {
  create: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Create',
  delete: 'http://schemas.xmlsoap.org/ws/2004/09/transfer/Delete',
  command: `${uris.rsp}/Command`,
  send: `${uris.rsp}/Send`,
  receive: `${uris.rsp}/Receive`,
  signal: `${uris.rsp}/Signal`,
} as const;

/** What the shell operations of the simulated server need. @category testing */
export interface SimOperationSettings {
  readonly shells: SimShells;
  readonly quota: number;
  readonly maxHoldMs: number;
  readonly machine: string;
  readonly stats: SimWinrmStats;
  readonly shellIdleTimeoutMs: number | undefined;
}

/**
 * The cmd-shell operations of the simulated WinRM server: answers one SOAP
 * request of an authenticated user as Windows does (faults with HTTP 500).
 *
 * @category testing
 */
export const simOperations = (
  settings: SimOperationSettings,
): ((text: string, user: string) => Promise<SimAnswer>) => {
  const { shells, quota, machine, stats } = settings;
  const maxHold = settings.maxHoldMs;

  const fault = (f: SimFault, relatesTo: string | undefined): Answer => ({
    status: 500,
    body: faultEnvelope(f, relatesTo, machine),
  });
  const ok = (replyAction: string, req: Request, body: string): Answer => ({
    status: 200,
    body: replyEnvelope(replyAction, req.messageId, body),
  });

  const readRequest = (text: string): Request | Answer => {
    const envelope = parseSimXml(text);
    const header = kid(envelope, uris.s, 'Header');
    const body = kid(envelope, uris.s, 'Body');
    const actionText = kid(header, uris.a, 'Action')?.text.trim();
    const messageId = kid(header, uris.a, 'MessageID')?.text.trim();
    const resource = kid(header, uris.w, 'ResourceURI')?.text.trim();
    if (
      envelope?.uri !== uris.s ||
      envelope.name !== 'Envelope' ||
      body === undefined ||
      actionText === undefined ||
      messageId === undefined ||
      resource === undefined
    ) {
      return fault(simFaults.invalidHeader, messageId);
    }
    const shellId = kids(kid(header, uris.w, 'SelectorSet'), uris.w, 'Selector')
      .find((s) => s.attrs['Name'] === 'ShellId')
      ?.text.trim();
    const opts = new Map(
      kids(kid(header, uris.w, 'OptionSet'), uris.w, 'Option').map((o) => [
        o.attrs['Name'] ?? '',
        o.text.trim(),
      ]),
    );
    const timeoutText = kid(header, uris.w, 'OperationTimeout')?.text;
    const envelopeText = kid(header, uris.w, 'MaxEnvelopeSize')?.text.trim();

    return {
      action: actionText,
      messageId,
      shellId,
      operationTimeoutMs: Math.min(
        (timeoutText !== undefined ? durationMs(timeoutText) : undefined) ??
          60_000,
        maxHold,
      ),
      maxEnvelopeSize: Number(envelopeText ?? 153_600) || 153_600,
      options: opts,
      body: body.kids[0],
    };
  };

  const create = (req: Request, user: string): Answer => {
    const idle = kid(req.body, uris.rsp, 'IdleTimeOut')?.text;
    if (idle !== undefined && durationMs(idle) === undefined) {
      return fault(simFaults.schemaValidation, req.messageId);
    }
    if (shells.countOf(user) >= quota) {
      return fault(simFaults.quotaLimit, req.messageId);
    }
    const shell = shells.open(user);
    stats.creates++;

    return ok(
      `${uris.x}/CreateResponse`,
      req,
      '<x:ResourceCreated><a:Address>https://127.0.0.1/wsman</a:Address>' +
        '<a:ReferenceParameters><w:ResourceURI>' +
        `${uris.rsp}/cmd</w:ResourceURI><w:SelectorSet>` +
        `<w:Selector Name="ShellId">${shell.id}</w:Selector>` +
        '</w:SelectorSet></a:ReferenceParameters></x:ResourceCreated>' +
        `<rsp:Shell><rsp:ShellId>${shell.id}</rsp:ShellId>` +
        `<rsp:ResourceUri>${uris.rsp}/cmd</rsp:ResourceUri>` +
        `<rsp:Owner>${xmlText(user)}</rsp:Owner>` +
        '<rsp:ClientIP>127.0.0.1</rsp:ClientIP>' +
        '<rsp:IdleTimeOut>PT7200.000S</rsp:IdleTimeOut>' +
        '<rsp:InputStreams>stdin</rsp:InputStreams>' +
        '<rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>',
    );
  };

  const streamXml = (name: string, id: string, bytes: Buffer): string =>
    bytes.length === 0
      ? ''
      : `<rsp:Stream Name="${name}" CommandId="${id}">` +
        `${bytes.toString('base64')}</rsp:Stream>`;

  const receive = async (
    req: Request,
    command: SimCommand,
  ): Promise<Answer> => {
    stats.receives++;
    if (command.result === undefined) {
      let timer: NodeJS.Timeout | undefined;
      const expired = await Promise.race([
        command.ready.then(() => false),
        new Promise<boolean>((resolve) => {
          timer = setTimeout(() => resolve(true), req.operationTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (expired) {
        stats.timedOut++;

        return fault(simFaults.timedOut, req.messageId);
      }
    }
    const result = command.result;
    if (result === undefined) {
      return fault(simFaults.timedOut, req.messageId);
    }
    // Room for output: base64 grows by 4/3; keep 2 KB for the envelope.
    let budget = Math.max(
      512,
      Math.floor(((req.maxEnvelopeSize - 2048) * 3) / 4),
    );
    const take = (which: 'stdout' | 'stderr'): Buffer => {
      const all = command[which];
      const part = all.subarray(0, budget);
      command[which] = all.subarray(part.length);
      budget -= part.length;

      return part;
    };
    const out = take('stdout');
    const err = take('stderr');
    const id = command.id;
    const rest = command.stdout.length + command.stderr.length;
    const tail =
      rest > 0
        ? `<rsp:CommandState CommandId="${id}" State="${uris.rsp}/CommandState/Running"/>`
        : `<rsp:Stream Name="stdout" CommandId="${id}" End="true"></rsp:Stream>` +
          `<rsp:Stream Name="stderr" CommandId="${id}" End="true"></rsp:Stream>` +
          `<rsp:CommandState CommandId="${id}" State="${uris.rsp}/CommandState/Done">` +
          `<rsp:ExitCode>${result.exitCode}</rsp:ExitCode></rsp:CommandState>`;

    return ok(
      `${uris.rsp}/ReceiveResponse`,
      req,
      `<rsp:ReceiveResponse>${streamXml('stdout', id, out)}` +
        `${streamXml('stderr', id, err)}${tail}</rsp:ReceiveResponse>`,
    );
  };

  const dispatch = async (text: string, user: string): Promise<Answer> => {
    shells.expire(settings.shellIdleTimeoutMs);
    const req = readRequest(text);
    if ('status' in req) {
      return req;
    }
    if (req.action === action.create) {
      return create(req, user);
    }
    if (!Object.values(action).includes(req.action as never)) {
      return fault(simFaults.actionNotSupported, req.messageId);
    }
    const shell =
      req.shellId === undefined ? undefined : shells.shells.get(req.shellId);
    if (shell === undefined || shell.owner !== user) {
      return fault(simFaults.shellNotFound, req.messageId);
    }
    shell.lastUsed = Date.now();
    const commandOf = (
      element: SimXmlNode | undefined,
    ): SimCommand | undefined =>
      shell.commands.get(element?.attrs['CommandId'] ?? '');
    switch (req.action) {
      case action.delete:
        shells.shells.delete(shell.id);
        stats.deletes++;

        return ok(`${uris.x}/DeleteResponse`, req, '');
      case action.command: {
        const line = kid(req.body, uris.rsp, 'Command')?.text.trim() ?? '';
        const args = kids(req.body, uris.rsp, 'Arguments').map((a) => a.text);
        const command = shells.start(shell, [line, ...args].join(' '));
        stats.commands++;

        return ok(
          `${uris.rsp}/CommandResponse`,
          req,
          `<rsp:CommandResponse><rsp:CommandId>${command.id}</rsp:CommandId></rsp:CommandResponse>`,
        );
      }
      case action.send: {
        for (const stream of kids(req.body, uris.rsp, 'Stream')) {
          const command = commandOf(stream);
          if (command === undefined) {
            return fault(simFaults.invalidHeader, req.messageId);
          }
          shells.feed(
            command,
            Buffer.from(stream.text.replace(/\s+/g, ''), 'base64'),
            stream.attrs['End'] === 'true',
          );
        }

        return ok(`${uris.rsp}/SendResponse`, req, '<rsp:SendResponse/>');
      }
      case action.receive: {
        const command = commandOf(kid(req.body, uris.rsp, 'DesiredStream'));
        if (command === undefined) {
          return fault(simFaults.invalidHeader, req.messageId);
        }

        return receive(req, command);
      }
      default: {
        // Signal: terminate (or Ctrl-C) ends and forgets the command.
        const command = commandOf(req.body);
        if (command !== undefined) {
          shell.commands.delete(command.id);
        }
        stats.signals++;

        return ok(`${uris.rsp}/SignalResponse`, req, '<rsp:SignalResponse/>');
      }
    }
  };
  return dispatch;
};
