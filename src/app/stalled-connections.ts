import type { Server } from 'node:http';
import type { Socket } from 'node:net';

interface Progress {
  /** Bytes read plus bytes the kernel took, when last seen. */
  bytes: number;
  /** When `bytes` last changed (ms, performance.now()). */
  since: number;
}

/** Bytes that really moved: read, or written and taken by the kernel (not still buffered). */
function bytesMoved(socket: Socket): number {
  return socket.bytesRead + socket.bytesWritten - socket.writableLength;
}

/**
 * Destroys connections that moved no byte in either direction for `idleTimeout` ms (a client
 * reading a response a few bytes at a time, or one that stopped reading). A sweep checks every
 * connection a few times per timeout, as node:http does for its headers and request timeouts,
 * instead of a timer per socket that node would refresh on every read and write of every request.
 *
 * @example
 * closeStalledConnections(server, 60_000);
 */
export function closeStalledConnections(server: Server, idleTimeout: number): void {
  const connections = new Map<Socket, Progress>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, { bytes: bytesMoved(socket), since: performance.now() });
    socket.once('close', () => connections.delete(socket));
  });
  const sweep = (): void => {
    const now = performance.now();
    for (const [socket, progress] of connections) {
      const bytes = bytesMoved(socket);
      if (bytes !== progress.bytes) {
        progress.bytes = bytes;
        progress.since = now;
      } else if (now - progress.since >= idleTimeout) socket.destroy();
    }
  };
  const interval = setInterval(sweep, Math.min(Math.max(idleTimeout / 4, 10), 5_000));
  interval.unref();
  server.once('close', () => clearInterval(interval));
}
