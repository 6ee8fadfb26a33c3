import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import {
  commandBody,
  createBody,
  createOptions,
  durationOf,
  newMessageId,
  requestEnvelope,
  sendBody,
} from './envelope.js';
import { actions, anonymousRole, cmdResourceUri, ns } from './namespaces.js';
import { childOf, childrenOf, parseXml, pathOf } from './xmlTree.js';

const parse = (text: string) => {
  const parsed = parseXml(text);
  if (E.isLeft(parsed)) {
    throw new Error(parsed.left);
  }

  return parsed.right;
};

describe('request envelopes', () => {
  it('carry the headers real clients send, with the shell and options', () => {
    const messageId = newMessageId();
    const envelope = parse(
      requestEnvelope(
        {
          action: actions.create,
          to: 'https://host:5986/wsman',
          messageId,
          shellId: 'S-1',
          options: createOptions,
          operationTimeoutMs: 20_000,
          maxEnvelopeSize: 153_600,
        },
        createBody(),
      ),
    );
    const header = childOf(envelope, ns.soap, 'Header');
    const text = (n: string, local: string) => childOf(header, n, local)?.text;
    expect(text(ns.addressing, 'Action')).toBe(actions.create);
    expect(text(ns.addressing, 'MessageID')).toBe(messageId);
    expect(messageId).toMatch(/^uuid:[0-9A-F-]{36}$/);
    expect(text(ns.addressing, 'To')).toBe('https://host:5986/wsman');
    expect(
      pathOf(header, [ns.addressing, 'ReplyTo'], [ns.addressing, 'Address'])
        ?.text,
    ).toBe(anonymousRole);
    expect(text(ns.wsman, 'ResourceURI')).toBe(cmdResourceUri);
    expect(text(ns.wsman, 'MaxEnvelopeSize')).toBe('153600');
    expect(text(ns.wsman, 'OperationTimeout')).toBe('PT20.000S');
    expect(childOf(header, ns.wsman, 'Locale')).toBeDefined();
    expect(childOf(header, ns.msWsman, 'DataLocale')).toBeDefined();
    const options = Object.fromEntries(
      childrenOf(
        childOf(header, ns.wsman, 'OptionSet'),
        ns.wsman,
        'Option',
      ).map((o) => [o.attributes['Name'], o.text]),
    );
    expect(options).toEqual({
      WINRS_NOPROFILE: 'FALSE',
      WINRS_CODEPAGE: '65001',
    });
    expect(
      pathOf(header, [ns.wsman, 'SelectorSet'], [ns.wsman, 'Selector'])?.text,
    ).toBe('S-1');
  });

  it('escape the command line and send stdin as base64 ending the stream', () => {
    const line = 'cmd /c "a & b" <x>';
    const body = parse(
      `<r xmlns:rsp="${ns.shell}">${commandBody(line)}${sendBody('C-1', Buffer.from('hé\r\n'), true)}</r>`,
    );
    expect(
      pathOf(body, [ns.shell, 'CommandLine'], [ns.shell, 'Command'])?.text,
    ).toBe(line);
    const stream = pathOf(body, [ns.shell, 'Send'], [ns.shell, 'Stream']);
    expect(stream?.attributes).toEqual({
      Name: 'stdin',
      CommandId: 'C-1',
      End: 'true',
    });
    expect(Buffer.from(stream?.text ?? '', 'base64').toString('utf8')).toBe(
      'hé\r\n',
    );
  });

  it('write durations in seconds', () => {
    expect(durationOf(60_000)).toBe('PT60.000S');
    expect(durationOf(1_500)).toBe('PT1.500S');
  });
});
