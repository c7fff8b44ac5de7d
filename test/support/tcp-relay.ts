import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on a loopback port to a server on another: "the server goes down" is `stop()` (the
 * port refuses connections and every relayed connection drops), "it comes back" is `start()` on
 * the same port. "The network stops delivering" (a partition: nothing refused, nothing answered)
 * is `freeze()`, until `thaw()` delivers what was held. The real server (PostgreSQL, Redis) is
 * never touched.
 */
export class TcpRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();
  private isFrozen = false;
  private readonly held: (() => void)[] = [];

  constructor(
    readonly port: number,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<void> {
    const server = createServer((socket) => {
      const upstream = connect(this.targetPort, '127.0.0.1');
      for (const end of [socket, upstream]) {
        this.sockets.add(end);
        end.once('close', () => this.sockets.delete(end));
      }
      this.forward(socket, upstream);
      this.forward(upstream, socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    this.server = server;
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
  }

  /** Holds every byte in both directions, on open connections and new ones, until `thaw()`. */
  freeze(): void {
    this.isFrozen = true;
  }

  /** Delivers what was held, in order, and forwards again. */
  thaw(): void {
    this.isFrozen = false;
    for (const deliver of this.held.splice(0)) deliver();
  }

  private forward(from: Socket, to: Socket): void {
    from.on('data', (chunk: Buffer) => {
      if (this.isFrozen) this.held.push(() => to.write(chunk));
      else to.write(chunk);
    });
    from.on('end', () => to.end());
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server?.listening) await new Promise((resolve) => server.close(resolve));
  }
}
