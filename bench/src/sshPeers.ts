import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { RemoteCommand } from '@rotor/core';
import { bootstrapCommandLine, encodeStdin } from '@rotor/windows';

/** What one run of Debian's ssh client gave back. */
export interface SshRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Debian's OpenSSH client sharing one master connection (ControlMaster):
 * the first run opens the master, which persists; each later run is a new
 * `ssh` process that multiplexes a session over it. `stop` ends the master
 * with `ssh -O exit`.
 */
export const openSshClient = (options: {
  readonly dir: string;
  readonly port: number;
  readonly identity: string;
  readonly knownHosts: string;
  readonly username: string;
}) => {
  const controlPath = join(options.dir, 'cm-%C');
  const args = [
    '-F',
    '/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${options.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPath=${controlPath}`,
    '-o',
    'ControlPersist=120',
    '-i',
    options.identity,
    '-p',
    String(options.port),
    `${options.username}@127.0.0.1`,
  ];

  const run = (command: RemoteCommand): Promise<SshRun> =>
    new Promise((resolve, reject) => {
      const child = spawn('ssh', [...args, bootstrapCommandLine()], {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
      child.stdin.end(encodeStdin(command.script, command.input));
    });

  const stop = (): void => {
    spawnSync('ssh', [...args.slice(0, -1), '-O', 'exit', args.at(-1) ?? ''], {
      stdio: 'ignore',
      timeout: 10_000,
    });
  };

  return { run, stop };
};
