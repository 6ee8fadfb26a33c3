import { createServer, connect, type Server, type Socket } from 'node:net';

/** Where a machine really is, seen from inside the jump host's network. */
export interface Route {
  readonly host: string;
  readonly port: number;
}

/**
 * A bastion standing in for a real jump host: the only way into a network
 * the gateway cannot reach. It knows the inside addresses (`routes`, by the
 * name the inventory uses), opens a tunnel on 127.0.0.1 to one of them on
 * request, and counts the connections that went through each.
 */
export interface JumpHost {
  readonly open: (name: string, port: number) => Promise<Route>;
  readonly connections: (name: string) => number;
  readonly close: () => Promise<void>;
}

const listen = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });

/** Starts a jump host that can reach the machines in `routes`. */
export const startJumpHost = (routes: ReadonlyMap<string, Route>): JumpHost => {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const counts = new Map<string, number>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const open = async (name: string, port: number): Promise<Route> => {
    const inside = routes.get(`${name}:${port}`);
    if (inside === undefined) {
      throw new Error(`the jump host has no route to ${name}:${port}`);
    }
    const server = createServer((client) => {
      counts.set(name, (counts.get(name) ?? 0) + 1);
      const upstream = connect(inside.port, inside.host);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.once('error', () => upstream.destroy());
      upstream.once('error', () => client.destroy());
    });
    servers.push(server);

    return { host: '127.0.0.1', port: await listen(server) };
  };

  const close = async () => {
    for (const socket of sockets) {
      socket.destroy();
    }
    await Promise.all(
      servers.map((s) => new Promise<void>((r) => s.close(() => r()))),
    );
  };

  return { open, connections: (name) => counts.get(name) ?? 0, close };
};
