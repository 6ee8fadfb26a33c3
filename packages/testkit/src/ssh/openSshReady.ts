import { spawnSync } from 'node:child_process';
import { findSshd } from './openssh.js';

const onPath = (cmd: string): boolean =>
  spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status ===
  0;

/**
 * What of Debian's OpenSSH (sshd, ssh, ssh-keygen) is missing, or
 * `undefined` when all of it is there.
 *
 * @category testing
 */
export const openSshMissing = (): string | undefined => {
  const missing = [
    findSshd() === undefined ? 'sshd (openssh-server)' : undefined,
    onPath('ssh') ? undefined : 'ssh (openssh-client)',
    onPath('ssh-keygen') ? undefined : 'ssh-keygen (openssh-client)',
  ].filter((m) => m !== undefined);

  return missing.length === 0 ? undefined : missing.join(', ');
};

/**
 * Whether the OpenSSH interoperability tests can run. Under CI (the `CI`
 * environment variable set) a missing OpenSSH is an error, so those tests
 * are never skipped there; elsewhere they are skipped with a message that
 * says what to install.
 *
 * @category testing
 */
export const openSshReady = (): boolean => {
  const missing = openSshMissing();
  if (missing === undefined) {
    return true;
  }
  if ((process.env['CI'] ?? '') !== '') {
    throw new Error(`OpenSSH interop tests need ${missing}; install it`);
  }
  process.stderr.write(
    `skipping OpenSSH interop tests: ${missing} not installed ` +
      '(apt-get install openssh-server openssh-client)\n',
  );

  return false;
};
