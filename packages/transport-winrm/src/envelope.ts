import { randomUUID } from 'node:crypto';
import { anonymousRole, cmdResourceUri, ns } from './namespaces.js';
import { escapeXml } from './xmlTree.js';

/**
 * What goes in the header of one request: the action, the endpoint, the
 * shell (every operation but Create), options, and the time the server may
 * block (`w:OperationTimeout`, in milliseconds).
 *
 * @category model
 */
export interface RequestHeader {
  readonly action: string;
  readonly to: string;
  readonly messageId: string;
  readonly shellId?: string;
  readonly options?: Readonly<Record<string, string>>;
  readonly operationTimeoutMs: number;
  readonly maxEnvelopeSize: number;
}

/** A fresh `uuid:` message id, upper case as Windows writes them. @category utils */
export const newMessageId = (): string => `uuid:${randomUUID().toUpperCase()}`;

/** Milliseconds as an xs:duration in seconds (`PT20.000S`). @category utils */
export const durationOf = (ms: number): string =>
  `PT${(Math.max(ms, 1) / 1000).toFixed(3)}S`;

const headerXml = (h: RequestHeader): string => {
  const options = Object.entries(h.options ?? {});
  const optionSet =
    options.length === 0
      ? ''
      : '<w:OptionSet>' +
        options
          .map(
            ([name, value]) =>
              `<w:Option Name="${escapeXml(name)}">${escapeXml(value)}</w:Option>`,
          )
          .join('') +
        '</w:OptionSet>';
  const selector =
    h.shellId === undefined
      ? ''
      : '<w:SelectorSet><w:Selector Name="ShellId">' +
        escapeXml(h.shellId) +
        '</w:Selector></w:SelectorSet>';

  return (
    `<a:To>${escapeXml(h.to)}</a:To>` +
    '<a:ReplyTo><a:Address s:mustUnderstand="true">' +
    anonymousRole +
    '</a:Address></a:ReplyTo>' +
    `<a:Action s:mustUnderstand="true">${escapeXml(h.action)}</a:Action>` +
    `<a:MessageID>${h.messageId}</a:MessageID>` +
    `<w:ResourceURI s:mustUnderstand="true">${cmdResourceUri}</w:ResourceURI>` +
    `<w:MaxEnvelopeSize s:mustUnderstand="true">${h.maxEnvelopeSize}</w:MaxEnvelopeSize>` +
    `<w:OperationTimeout>${durationOf(h.operationTimeoutMs)}</w:OperationTimeout>` +
    '<w:Locale xml:lang="en-US" s:mustUnderstand="false"/>' +
    '<p:DataLocale xml:lang="en-US" s:mustUnderstand="false"/>' +
    selector +
    optionSet
  );
};

/**
 * A whole request envelope: the header of `header` around `body` (XML text,
 * already escaped).
 *
 * @category constructors
 */
export const requestEnvelope = (header: RequestHeader, body: string): string =>
  '<?xml version="1.0" encoding="utf-8"?>' +
  `<s:Envelope xmlns:s="${ns.soap}" xmlns:a="${ns.addressing}" ` +
  `xmlns:w="${ns.wsman}" xmlns:p="${ns.msWsman}" xmlns:rsp="${ns.shell}">` +
  `<s:Header>${headerXml(header)}</s:Header>` +
  `<s:Body>${body}</s:Body></s:Envelope>`;

/** The body of Create: a cmd shell with stdin and stdout/stderr. @category constructors */
export const createBody = (): string =>
  '<rsp:Shell><rsp:InputStreams>stdin</rsp:InputStreams>' +
  '<rsp:OutputStreams>stdout stderr</rsp:OutputStreams></rsp:Shell>';

/** The options of Create as real clients send them, with UTF-8 output. @category constructors */
export const createOptions = {
  WINRS_NOPROFILE: 'FALSE',
  WINRS_CODEPAGE: '65001',
} as const;

/** The options of Command, as real clients send them. @category constructors */
export const commandOptions = {
  WINRS_CONSOLEMODE_STDIN: 'TRUE',
  WINRS_SKIP_CMD_SHELL: 'FALSE',
} as const;

/** The body of Command: one command line, no separate arguments. @category constructors */
export const commandBody = (commandLine: string): string =>
  `<rsp:CommandLine><rsp:Command>${escapeXml(commandLine)}</rsp:Command></rsp:CommandLine>`;

/** The body of Send: bytes on stdin, optionally ending it. @category constructors */
export const sendBody = (
  commandId: string,
  bytes: Buffer,
  end: boolean,
): string =>
  `<rsp:Send><rsp:Stream Name="stdin" CommandId="${escapeXml(commandId)}"` +
  `${end ? ' End="true"' : ''}>${bytes.toString('base64')}</rsp:Stream></rsp:Send>`;

/** The body of Receive: stdout and stderr of a command. @category constructors */
export const receiveBody = (commandId: string): string =>
  `<rsp:Receive><rsp:DesiredStream CommandId="${escapeXml(commandId)}">` +
  'stdout stderr</rsp:DesiredStream></rsp:Receive>';

/** The body of Signal with a code. @category constructors */
export const signalBody = (commandId: string, code: string): string =>
  `<rsp:Signal CommandId="${escapeXml(commandId)}"><rsp:Code>${code}</rsp:Code></rsp:Signal>`;
