import { once } from 'node:events';
import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay on a loopback port to a server on another: "the server goes down" is `stop()` (the
 * port refuses connections and every relayed connection drops), "it comes back" is `start()` on
 * the same port. The real server (PostgreSQL, Redis) is never touched.
 */
export class TcpRelay {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

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
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    this.server = server;
    server.listen(this.port, '127.0.0.1');
    await once(server, 'listening');
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server?.listening) await new Promise((resolve) => server.close(resolve));
  }
}
