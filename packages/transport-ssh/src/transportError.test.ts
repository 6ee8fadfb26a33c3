import { describe, expect, it } from 'vitest';
import { classifyConnectError } from './transportError.js';

const errorWith = (message: string, extra: Record<string, string>) =>
  Object.assign(new Error(message), extra);

const classify = (error: unknown) =>
  classifyConnectError(error, 'machine-uid', 'web-01:22');

describe('classifying ssh2 connect errors', () => {
  it.each([
    ['ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:22'],
    ['EHOSTUNREACH', 'connect EHOSTUNREACH 10.0.0.9:22'],
    ['ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.9:22'],
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND web-01'],
    ['EAI_AGAIN', 'getaddrinfo EAI_AGAIN web-01'],
  ])('%s is Unreachable and transient', (code, message) => {
    expect(
      classify(errorWith(message, { code, level: 'client-socket' })),
    ).toMatchObject({ code: 'Unreachable', transient: true });
  });

  it('a DNS failure reported by ssh2 itself is Unreachable', () => {
    expect(
      classify(
        errorWith('Error while looking up IPv4', { level: 'client-dns' }),
      ),
    ).toMatchObject({ code: 'Unreachable', transient: true });
  });

  it('an authentication failure is LogonRefused and permanent', () => {
    expect(
      classify(
        errorWith('All configured authentication methods failed', {
          level: 'client-authentication',
        }),
      ),
    ).toMatchObject({
      code: 'LogonRefused',
      transient: false,
      machineUid: 'machine-uid',
    });
  });

  it('a handshake timeout is Timeout and transient', () => {
    expect(
      classify(
        errorWith('Timed out while waiting for handshake', {
          level: 'client-timeout',
        }),
      ),
    ).toMatchObject({ code: 'Timeout', transient: true });
  });

  it('anything else is a permanent ProtocolError', () => {
    expect(
      classify(errorWith('Bad packet length', { level: 'protocol' })),
    ).toMatchObject({ code: 'ProtocolError', transient: false });
    expect(classify('weird')).toMatchObject({ code: 'ProtocolError' });
  });
});
