import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Secret } from '@rotor/core';

/**
 * Why no ticket could be had: the KDC refused the principal or its
 * password (`refused`: trying again or over NTLM would only count another
 * bad logon), or Kerberos could not be used at all here (`unavailable`: no
 * KDC reachable, no realm configuration, no kinit).
 *
 * @category model
 */
export interface TicketFailure {
  readonly kind: 'refused' | 'unavailable';
  readonly transient: boolean;
  readonly message: string;
}

/** A private credential cache; `remove` deletes it and its folder. @category model */
export interface PrivateCcache {
  readonly name: string;
  readonly remove: () => void;
}

const findKinit = (): string | undefined =>
  ['/usr/bin/kinit', '/bin/kinit', '/usr/local/bin/kinit'].find((path) => {
    try {
      accessSync(path, constants.X_OK);

      return true;
    } catch {
      return false;
    }
  });

const refusedPatterns =
  /Preauthentication failed|Password incorrect|not found in Kerberos database|credentials have been revoked|Password has expired|expired|Client not yet valid|Decrypt integrity check failed/i;
const transientPatterns =
  /Cannot contact any KDC|timed out|Connection refused/i;

/**
 * The failure kinit's message means. Its text names the principal and the
 * reason, never the password.
 *
 * @category utils
 */
export const classifyKinitFailure = (text: string): TicketFailure => {
  const message = text.replace(/^kinit:\s*/gm, '').trim() || 'kinit failed';
  if (refusedPatterns.test(text)) {
    return { kind: 'refused', transient: false, message };
  }

  return {
    kind: 'unavailable',
    transient: transientPatterns.test(text),
    message,
  };
};

/** What {@link obtainTicket} needs. @category model */
export interface TicketRequest {
  readonly principal: string;
  /** The password, written to kinit's stdin; unused with `keytab`. */
  readonly password: Secret;
  readonly keytab?: string;
  readonly config?: string;
  readonly kinit?: string;
  readonly timeoutMs: number;
}

/**
 * Gets a ticket-granting ticket for `principal` into a new credential
 * cache of its own (a file in a fresh temporary folder of mode 0700) with
 * MIT `kinit`, run without a shell or a terminal: the password goes on its
 * stdin, the keytab path (when given) on its command line.
 *
 * @category utils
 */
export const obtainTicket = (
  request: TicketRequest,
): Promise<PrivateCcache | TicketFailure> => {
  const kinit = request.kinit ?? findKinit();
  if (kinit === undefined) {
    return Promise.resolve({
      kind: 'unavailable',
      transient: false,
      message: 'kinit is not installed (apt-get install krb5-user)',
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'rotor-krb5-'));
  const name = `FILE:${join(dir, 'ccache')}`;
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const args = [
    '-c',
    name,
    ...(request.keytab !== undefined ? ['-k', '-t', request.keytab] : []),
    request.principal,
  ];

  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env, KRB5CCNAME: name };
    if (request.config !== undefined) {
      env['KRB5_CONFIG'] = request.config;
    }
    const child = spawn(kinit, args, {
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
      env,
    });
    const output: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => output.push(b));
    child.stderr.on('data', (b: Buffer) => output.push(b));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid !== undefined) {
        process.kill(child.pid, 'SIGKILL');
      }
    }, request.timeoutMs);
    const finish = (code: number | null, spawnError?: Error) => {
      clearTimeout(timer);
      if (code === 0) {
        resolve({ name, remove });

        return;
      }
      remove();
      const text = Buffer.concat(output)
        .toString('utf8')
        .replace(/^Password for \S+:\s*/m, '');
      resolve(
        spawnError !== undefined
          ? {
              kind: 'unavailable',
              transient: false,
              message: `kinit could not run: ${spawnError.message}`,
            }
          : timedOut
            ? {
                kind: 'unavailable',
                transient: true,
                message: `kinit did not finish within ${request.timeoutMs} ms`,
              }
            : classifyKinitFailure(text),
      );
    };
    child.once('error', (error) => finish(null, error));
    child.once('close', (code) => finish(code));
    child.stdin.on('error', () => undefined);
    child.stdin.end(
      request.keytab !== undefined ? '' : `${request.password.reveal()}\n`,
    );
  });
};
