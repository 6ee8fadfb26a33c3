import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { md4 } from './md4.js';
import {
  channelBindingHash,
  ntHash,
  ntowfv2,
  sessionKeys,
} from './ntlmCrypto.js';
import {
  authenticateMessage,
  negotiateMessage,
  ntlmFlags,
  parseChallenge,
  readAvPairs,
  splitLogonName,
  writeAvPairs,
} from './ntlmMessages.js';
import { rc4 } from './rc4.js';

const hex = (b: Buffer): string => b.toString('hex');

describe('MD4 (RFC 1320 appendix A.5)', () => {
  it.each([
    ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
    ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
    ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
    ['message digest', 'd9130a8164549fe818874806e1c7014b'],
    ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
  ])('MD4(%j)', (text, digest) => {
    expect(hex(md4(Buffer.from(text, 'latin1')))).toBe(digest);
  });

  it('gives the NT hash of "password" that WINRM.md checked', () => {
    expect(hex(ntHash('password'))).toBe('8846f7eaee8fb117ad06bdd830b7586c');
  });
});

describe('RC4', () => {
  it('matches the "Key"/"Plaintext" test vector and keeps its state', () => {
    const stream = rc4(Buffer.from('Key'));
    const out = Buffer.concat([
      stream.update(Buffer.from('Plain')),
      stream.update(Buffer.from('text')),
    ]);
    expect(hex(out)).toBe('bbf316e8d940af0ad3');
  });
});

// [MS-NLMP] 4.2.1 common values and 4.2.4 NTLMv2 authentication.
describe('NTLMv2 against [MS-NLMP] 4.2.4', () => {
  const user = 'User';
  const domain = 'Domain';
  const serverChallenge = Buffer.from('0123456789abcdef', 'hex');
  const clientChallenge = Buffer.alloc(8, 0xaa);
  const randomSessionKey = Buffer.alloc(16, 0x55);
  const time = Buffer.alloc(8);
  // 4.2.4.3 flags: 0xe28a8233; target info: NbDomainName "Domain",
  // NbComputerName "Server".
  const flags = 0xe28a8233;
  const targetInfo = writeAvPairs([
    { id: 2, value: Buffer.from('Domain', 'utf16le') },
    { id: 1, value: Buffer.from('Server', 'utf16le') },
  ]);
  const challengeMessage = (): Buffer => {
    const m = Buffer.alloc(48 + targetInfo.length);
    Buffer.from('NTLMSSP\0', 'latin1').copy(m, 0);
    m.writeUInt32LE(2, 8);
    m.writeUInt32LE(flags, 20);
    serverChallenge.copy(m, 24);
    m.writeUInt16LE(targetInfo.length, 40);
    m.writeUInt16LE(targetInfo.length, 42);
    m.writeUInt32LE(48, 44);
    targetInfo.copy(m, 48);

    return m;
  };

  it('NTOWFv2 (4.2.4.1.1)', () => {
    expect(hex(ntHash('Password'))).toBe('a4f49c406510bdcab6824ee7c30fd852');
    expect(hex(ntowfv2(ntHash('Password'), user, domain))).toBe(
      '0c868a403bfd7a93a3001ef22ef02e3f',
    );
  });

  it('the responses, session base key and encrypted session key (4.2.4.1.2, 4.2.4.2)', () => {
    const wire = challengeMessage();
    const challenge = parseChallenge(wire);
    expect(E.isRight(challenge)).toBe(true);
    if (E.isLeft(challenge)) {
      return;
    }
    expect(hex(challenge.right.serverChallenge)).toBe('0123456789abcdef');
    const result = authenticateMessage({
      user,
      domain,
      workstation: 'COMPUTER',
      ntHash: ntHash('Password'),
      negotiate: negotiateMessage(),
      challengeMessage: wire,
      challenge: challenge.right,
      clientChallenge,
      exportedSessionKey: randomSessionKey,
      timestamp: time,
    });
    expect(hex(result.lmChallengeResponse)).toBe(
      '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa',
    );
    expect(hex(result.ntChallengeResponse)).toBe(
      '68cd0ab851e51c96aabc927bebef6a1c' +
        '0101000000000000' +
        '0000000000000000' +
        'aaaaaaaaaaaaaaaa' +
        '00000000' +
        '02000c0044006f006d00610069006e00' +
        '01000c00530065007200760065007200' +
        '00000000' +
        '00000000',
    );
    expect(hex(result.sessionBaseKey)).toBe('8de40ccadbc14a82f15cb0ad0de95ca3');
    // EncryptedRandomSessionKey, the last payload of the message.
    const m = result.message;
    const keyLength = m.readUInt16LE(52);
    const keyOffset = m.readUInt32LE(56);
    expect(hex(m.subarray(keyOffset, keyOffset + keyLength))).toBe(
      'c5dad2544fc9799094ce1ce90bc9d03e',
    );
    // The user name field holds UTF-16LE "User".
    const userOffset = m.readUInt32LE(40);
    expect(
      m
        .subarray(userOffset, userOffset + m.readUInt16LE(36))
        .toString('utf16le'),
    ).toBe('User');
  });

  it('the client signing and sealing keys (4.2.4.1.3, 4.2.4.1.4)', () => {
    const keys = sessionKeys(randomSessionKey);
    expect(hex(keys.clientSign)).toBe('4788dc861b4782f35d43fd98fe1a2d39');
    expect(hex(keys.clientSeal)).toBe('59f600973cc4960a25480a7c196e4c58');
  });

  it('adds MsvAvFlags, channel bindings and a MIC when the server sent a timestamp', () => {
    const stamp = Buffer.from('0090d336b734c301', 'hex');
    const info = writeAvPairs([
      { id: 2, value: Buffer.from('Domain', 'utf16le') },
      { id: 7, value: stamp },
    ]);
    const wire = Buffer.concat([challengeMessage().subarray(0, 48), info]);
    wire.writeUInt16LE(info.length, 40);
    wire.writeUInt16LE(info.length, 42);
    const challenge = parseChallenge(wire);
    if (E.isLeft(challenge)) {
      throw new Error(challenge.left);
    }
    const cbt = channelBindingHash(Buffer.from('certificate'));
    const result = authenticateMessage({
      user,
      domain,
      workstation: '',
      ntHash: ntHash('Password'),
      negotiate: negotiateMessage(),
      challengeMessage: wire,
      challenge: challenge.right,
      channelBindings: cbt,
    });
    expect(result.lmChallengeResponse).toEqual(Buffer.alloc(24));
    const blob = result.ntChallengeResponse.subarray(16);
    expect(blob.subarray(8, 16)).toEqual(stamp);
    const pairs = readAvPairs(blob.subarray(28));
    expect(pairs.find((p) => p.id === 6)?.value.readUInt32LE(0)).toBe(2);
    expect(pairs.find((p) => p.id === 10)?.value).toEqual(cbt);
    expect(result.message.subarray(72, 88)).not.toEqual(Buffer.alloc(16));
  });
});

describe('NEGOTIATE and logon names', () => {
  it('asks for NTLMv2 with extended session security and key exchange', () => {
    const m = negotiateMessage();
    expect(m.subarray(0, 8).toString('latin1')).toBe('NTLMSSP\0');
    const flags = m.readUInt32LE(12);
    for (const flag of [
      ntlmFlags.unicode,
      ntlmFlags.ntlm,
      ntlmFlags.extendedSessionSecurity,
      ntlmFlags.keyExchange,
      ntlmFlags.bits128,
    ]) {
      expect(flags & flag).toBe(flag);
    }
  });

  it.each([
    ['CORP\\svc', 'svc', 'CORP'],
    ['svc@corp.example', 'svc', 'corp.example'],
    ['Administrator', 'Administrator', ''],
  ])('%s', (name, u, d) => {
    expect(splitLogonName(name)).toEqual({ user: u, domain: d });
  });
});
