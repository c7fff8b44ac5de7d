import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { lingerIfUnread } from '../../src/http/lingering-close';

const LIMITS = { maxBytes: 64 * 1024, maxMs: 300 };

/** A node:http server answering every request at once, before reading its body. */
async function earlyAnswerServer(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ server: Server; port: number; sockets: Socket[] }> {
  const sockets: Socket[] = [];
  const server = createServer((req, res) => {
    answer(req, res);
    lingerIfUnread(req, res, LIMITS);
  });
  server.on('connection', (socket) => sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, sockets };
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('lingerIfUnread', () => {
  it('half-closes a Connection: close answer and closes after maxMs, for a client sending one byte at a time', async () => {
    const { server, port } = await earlyAnswerServer((_req, res) => {
      res.writeHead(413, { connection: 'close', 'content-length': '0' });
      res.end();
    });
    // Half-open, as a client still uploading would be: the server's FIN does not end its sending.
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let received = '';
    let ended = false;
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('end', () => (ended = true));
    socket.on('error', () => undefined);
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n');
    const trickle = setInterval(() => socket.write('a'), 20);
    let isGuardFired = false;
    const guard = setTimeout(() => {
      isGuardFired = true;
      socket.destroy();
    }, 5000);
    try {
      await new Promise((resolve) => socket.once('close', resolve));
      expect(received).toMatch(/^HTTP\/1\.1 413 /);
      expect(isGuardFired).toBe(false);
      // The FIN came first: the client could still send while the server read and dropped it.
      expect(ended).toBe(true);
    } finally {
      clearInterval(trickle);
      clearTimeout(guard);
      await closeServer(server);
    }
  });

  it('closes once maxBytes more have arrived', async () => {
    const { server, port } = await earlyAnswerServer((_req, res) => {
      res.writeHead(413, { connection: 'close', 'content-length': '0' });
      res.end();
    });
    const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    const closed = new Promise((resolve) => socket.once('close', resolve));
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n');
    const filler = Buffer.alloc(16 * 1024, 0x61);
    let sent = 0;
    // Sent as fast as the server takes it, far more than maxBytes, well within maxMs.
    const pump = (): void => {
      while (sent < 8 * 1024 * 1024 && !socket.destroyed) {
        sent += filler.length;
        if (!socket.write(filler)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
    let isGuardFired = false;
    const guard = setTimeout(() => {
      isGuardFired = true;
      socket.destroy();
    }, 5000);
    try {
      await closed;
      expect(isGuardFired).toBe(false);
      expect(received).toMatch(/^HTTP\/1\.1 413 /);
      expect(sent).toBeLessThan(8 * 1024 * 1024);
    } finally {
      clearTimeout(guard);
      await closeServer(server);
    }
  });

  it('keeps a kept-alive connection once the rest of the body is drained', async () => {
    const { server, port, sockets } = await earlyAnswerServer((req, res) => {
      res.writeHead(req.method === 'POST' ? 403 : 200, { 'content-length': '2' });
      res.end('no');
    });
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    try {
      socket.write(
        `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n${'a'.repeat(20_000)}`,
      );
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (received.includes('HTTP/1.1 200')) resolve();
          else socket.once('data', check);
        };
        check();
      });
      expect(received).toMatch(/^HTTP\/1\.1 403 [\s\S]*HTTP\/1\.1 200 /);
      expect(sockets).toHaveLength(1);
      expect(Object.hasOwn(sockets[0] as Socket, 'destroySoon')).toBe(false);
    } finally {
      socket.destroy();
      await closeServer(server);
    }
  });
});
