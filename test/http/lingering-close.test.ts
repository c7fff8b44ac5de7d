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

interface Uploader {
  readonly socket: Socket;
  readonly received: () => string;
  /** Whether the server's FIN arrived. */
  readonly hasEnded: () => boolean;
  /** True when the server closed the connection, false when the 5 s guard had to. */
  readonly closedByServer: Promise<boolean>;
}

/**
 * A client that sends `head` and goes on sending: half-open, so the server's FIN does not end
 * its side, as a client still uploading would be.
 */
function startUpload(port: number, head: string): Uploader {
  const socket = connect({ port, host: '127.0.0.1', allowHalfOpen: true });
  let received = '';
  let ended = false;
  socket.setEncoding('latin1');
  socket.on('data', (chunk: string) => (received += chunk));
  socket.on('end', () => (ended = true));
  socket.on('error', () => undefined);
  const closedByServer = new Promise<boolean>((resolve) => {
    const guard = setTimeout(() => {
      resolve(false);
      socket.destroy();
    }, 5000);
    socket.once('close', () => {
      clearTimeout(guard);
      resolve(true);
    });
  });
  socket.write(head);
  return { socket, received: () => received, hasEnded: () => ended, closedByServer };
}

const answer413 = (_req: IncomingMessage, res: ServerResponse): void => {
  res.writeHead(413, { connection: 'close', 'content-length': '0' });
  res.end();
};

describe('lingerIfUnread', () => {
  it('half-closes a Connection: close answer and closes after maxMs, for a client sending one byte at a time', async () => {
    const { server, port } = await earlyAnswerServer(answer413);
    const upload = startUpload(
      port,
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n',
    );
    const trickle = setInterval(() => upload.socket.write('a'), 20);
    try {
      expect(await upload.closedByServer).toBe(true);
      expect(upload.received()).toMatch(/^HTTP\/1\.1 413 /);
      // The FIN came first: the client could still send while the server read and dropped it.
      expect(upload.hasEnded()).toBe(true);
    } finally {
      clearInterval(trickle);
      await closeServer(server);
    }
  });

  it('closes once maxBytes more have arrived', async () => {
    const { server, port } = await earlyAnswerServer(answer413);
    const upload = startUpload(
      port,
      'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\n\r\n',
    );
    const filler = Buffer.alloc(16 * 1024, 0x61);
    let sent = 0;
    // Sent as fast as the server takes it, far more than maxBytes, well within maxMs.
    const pump = (): void => {
      while (sent < 8 * 1024 * 1024 && !upload.socket.destroyed) {
        sent += filler.length;
        if (!upload.socket.write(filler)) {
          upload.socket.once('drain', pump);
          return;
        }
      }
    };
    pump();
    try {
      expect(await upload.closedByServer).toBe(true);
      expect(upload.received()).toMatch(/^HTTP\/1\.1 413 /);
      expect(sent).toBeLessThan(8 * 1024 * 1024);
    } finally {
      await closeServer(server);
    }
  });

  it('keeps a kept-alive connection once the rest of the body is drained, answer after answer', async () => {
    const { server, port, sockets } = await earlyAnswerServer((req, res) => {
      res.writeHead(req.method === 'POST' ? 403 : 200, { 'content-length': '2' });
      res.end('no');
    });
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    try {
      const post = `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n${'a'.repeat(20_000)}`;
      for (let index = 0; index < 12; index++) socket.write(post);
      socket.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise<void>((resolve) => {
        const check = (): void => {
          if (received.includes('HTTP/1.1 200')) resolve();
          else socket.once('data', check);
        };
        check();
      });
      expect(received.match(/HTTP\/1\.1 403 /g)).toHaveLength(12);
      expect(received).toMatch(/HTTP\/1\.1 200 [^]*$/);
      expect(sockets).toHaveLength(1);
      const serverSide = sockets[0] as Socket;
      expect(Object.hasOwn(serverSide, 'destroySoon')).toBe(false);
      // Nothing is left behind per answer on the connection.
      expect(serverSide.listenerCount('close')).toBeLessThan(5);
    } finally {
      socket.destroy();
      await closeServer(server);
    }
  });
});
