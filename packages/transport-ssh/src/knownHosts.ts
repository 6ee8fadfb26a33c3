import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * One key line of an OpenSSH known_hosts file that applies to a host:
 * its key type, the key blob, and whether it is marked `@revoked`.
 *
 * @category model
 */
export interface KnownHostKey {
  readonly keyType: string;
  readonly keyBlob: Buffer;
  readonly revoked: boolean;
}

/**
 * The name OpenSSH looks a host up by: `host` on port 22, `[host]:port`
 * on any other port.
 *
 * @category utils
 */
export const knownHostsName = (host: string, port: number): string =>
  port === 22 ? host : `[${host}]:${port}`;

const globToRegExp = (pattern: string): RegExp =>
  new RegExp(
    '^' +
      pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.') +
      '$',
    'i',
  );

const matchesHashed = (entry: string, name: string): boolean => {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || salt === undefined || hash === undefined) {
    return false;
  }
  const expected = Buffer.from(hash, 'base64');
  const actual = createHmac('sha1', Buffer.from(salt, 'base64'))
    .update(name)
    .digest();

  return expected.length === actual.length && timingSafeEqual(expected, actual);
};

// A pattern list matches when some pattern matches and no negated one does
// (the rule of sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT").
const matchesPatterns = (field: string, name: string): boolean => {
  if (field.startsWith('|')) {
    return matchesHashed(field, name);
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(name)) {
        return false;
      }
    } else if (globToRegExp(pattern).test(name)) {
      matched = true;
    }
  }

  return matched;
};

/**
 * The keys a known_hosts text lists for `host` on `port`, hashed entries
 * (`|1|salt|hash`) and `[host]:port` entries included. `@cert-authority`
 * lines are skipped (certificates are not supported); `@revoked` lines are
 * returned marked so the caller refuses those keys.
 *
 * @category utils
 */
export const knownHostKeys = (
  text: string,
  host: string,
  port: number,
): ReadonlyArray<KnownHostKey> => {
  const name = knownHostsName(host, port);
  const keys: KnownHostKey[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) {
      continue;
    }
    const fields = line.split(/\s+/);
    const marker = fields[0]?.startsWith('@') === true ? fields.shift() : '';
    const [patterns, keyType, keyData] = fields;
    if (
      marker === '@cert-authority' ||
      patterns === undefined ||
      keyType === undefined ||
      keyData === undefined ||
      !matchesPatterns(patterns, name)
    ) {
      continue;
    }
    keys.push({
      keyType,
      keyBlob: Buffer.from(keyData, 'base64'),
      revoked: marker === '@revoked',
    });
  }

  return keys;
};
