import type { RemoteResult } from '@rotor/core';
import { randomUUID } from 'node:crypto';
import {
  answerCommandLine,
  refusalOf,
  type SimHandler,
} from '../ssh/commandShell.js';

/** One command in a simulated shell. @category testing */
export interface SimCommand {
  readonly id: string;
  readonly commandLine: string;
  readonly stdin: Buffer[];
  started: boolean;
  result?: RemoteResult;
  /** Output not yet handed out by Receive. */
  stdout: Buffer;
  stderr: Buffer;
  readonly ready: Promise<void>;
  readonly markReady: () => void;
}

/** One simulated cmd shell. @category testing */
export interface SimShell {
  readonly id: string;
  readonly owner: string;
  readonly commands: Map<string, SimCommand>;
  lastUsed: number;
}

/** Counters of what the simulated WinRM server did. @category testing */
export interface SimWinrmStats {
  creates: number;
  deletes: number;
  commands: number;
  receives: number;
  timedOut: number;
  signals: number;
  negotiations: number;
  connections: number;
}

/**
 * The shells of a simulated WinRM server and the commands in them, run by
 * a simulated host's handler through cmd.exe's rules (`answerCommandLine`).
 *
 * @category testing
 */
export class SimShells {
  readonly shells = new Map<string, SimShell>();

  constructor(
    private readonly handler: SimHandler,
    private readonly commandDelayMs: number,
  ) {}

  open(owner: string): SimShell {
    const shell: SimShell = {
      id: randomUUID().toUpperCase(),
      owner,
      commands: new Map(),
      lastUsed: Date.now(),
    };
    this.shells.set(shell.id, shell);

    return shell;
  }

  countOf(owner: string): number {
    return [...this.shells.values()].filter((s) => s.owner === owner).length;
  }

  /** Drops shells idle for longer than `idleMs`. */
  expire(idleMs: number | undefined): void {
    if (idleMs === undefined) {
      return;
    }
    const now = Date.now();
    for (const [id, shell] of this.shells) {
      if (now - shell.lastUsed > idleMs) {
        this.shells.delete(id);
      }
    }
  }

  start(shell: SimShell, commandLine: string): SimCommand {
    let markReady: () => void = () => undefined;
    const ready = new Promise<void>((resolve) => {
      markReady = resolve;
    });
    const command: SimCommand = {
      id: randomUUID().toUpperCase(),
      commandLine,
      stdin: [],
      started: false,
      stdout: Buffer.alloc(0),
      stderr: Buffer.alloc(0),
      ready,
      markReady,
    };
    shell.commands.set(command.id, command);
    // cmd.exe refuses a line that is too long or unknown before any stdin.
    const refusal = refusalOf(commandLine);
    if (refusal !== undefined) {
      this.finish(command, refusal);
    }

    return command;
  }

  /** Adds stdin; runs the command once stdin ended (or holds two lines). */
  feed(command: SimCommand, bytes: Buffer, end: boolean): void {
    command.stdin.push(bytes);
    const text = Buffer.concat(command.stdin).toString('utf8');
    const complete = end || (text.match(/\n/g)?.length ?? 0) >= 2;
    if (complete && !command.started && command.result === undefined) {
      command.started = true;
      const delay = this.commandDelayMs;
      void (async () => {
        if (delay > 0) {
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
        const result = await answerCommandLine(
          command.commandLine,
          text,
          this.handler,
        );
        this.finish(command, result);
      })();
    }
  }

  // Output is always UTF-8, whatever WINRS_CODEPAGE the client asked for.
  private finish(command: SimCommand, result: RemoteResult): void {
    command.result = result;
    command.stdout = Buffer.from(result.stdout, 'utf8');
    command.stderr = Buffer.from(result.stderr, 'utf8');
    command.markReady();
  }
}
