import * as E from 'fp-ts/lib/Either.js';
import type { Machine, Transport, TransportError } from '@rotor/core';
import type { JumpHost, Route } from './jumpHost.js';

/**
 * A {@link Transport} that reaches every machine through a jump host: it
 * asks the hop for a tunnel to the machine's address (once per machine),
 * then lets `inner` (any transport: SSH, WinRM, your own) run the command
 * against the tunnel's end. Everything else about the machine, its trust
 * settings above all, is unchanged, so the SSH host key or TLS
 * certificate is still checked end to end. A tunnel that cannot be opened
 * is a transient `Unreachable` for that machine alone, which the engine
 * retries and then records as that machine's failure.
 */
export const viaJumpHost = (inner: Transport, hop: JumpHost): Transport => {
  const tunnels = new Map<string, Promise<Route>>();
  const tunnelTo = (machine: Machine) => {
    const known = tunnels.get(machine.uid);
    if (known !== undefined) {
      return known;
    }
    const opened = hop.open(machine.host, machine.port);
    // A failed tunnel is not cached, so the engine's retry asks again.
    opened.catch(() => tunnels.delete(machine.uid));
    tunnels.set(machine.uid, opened);

    return opened;
  };

  return {
    run: async (machine, command, options) => {
      let end: Route;
      try {
        end = await tunnelTo(machine);
      } catch (e) {
        const error: TransportError = {
          _tag: 'TransportError',
          code: 'Unreachable',
          machineUid: machine.uid,
          message: `no tunnel through the jump host: ${String(e)}`,
          transient: true,
        };

        return E.left(error);
      }

      return inner.run({ ...machine, ...end }, command, options);
    },
    close: () => inner.close(),
  };
};
