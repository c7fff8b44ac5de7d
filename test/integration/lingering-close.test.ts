import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Body,
  createApp,
  Get,
  Module,
  Post,
  Route,
  UseGuards,
  type FlagonApp,
  type Guard,
} from '../../src';

class DenyGuard implements Guard {
  canActivate(): boolean {
    return false;
  }
}

@Route('/')
class UploadController {
  @Post('upload')
  upload(@Body() body: unknown): object {
    return { received: body !== undefined };
  }

  @Post('guarded')
  @UseGuards(DenyGuard)
  guarded(@Body() body: unknown): object {
    return { received: body !== undefined };
  }

  @Get('ping')
  ping(): string {
    return 'pong';
  }
}

@Module({ controllers: [UploadController] })
class UploadModule {}

const MiB = 1024 * 1024;
/** One mebibyte and 64 KiB: just over the default MAX_CONTENT_LENGTH, as a real avatar upload was. */
const OVERSIZED = Buffer.alloc(MiB + 64 * 1024, 0x20);

let app: FlagonApp;
let port: number;
let folder: string;

beforeAll(async () => {
  // An upload test, not a CSRF test: a form-less JSON client.
  app = createApp({
    modules: [UploadModule],
    config: { TESTING: true, CSRF_ENABLED: false },
    env: false,
  });
  ({ port } = await app.listen({ port: 0 }));
  folder = mkdtempSync(join(tmpdir(), 'flagon-linger-'));
  writeFileSync(join(folder, 'oversized.json'), OVERSIZED);
});

afterAll(async () => {
  await app.close();
  rmSync(folder, { recursive: true, force: true });
});

/** The status fetch saw, or the error code it failed with. */
async function fetchStatus(path: string, init: RequestInit = {}): Promise<string> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, init);
    await res.arrayBuffer();
    return String(res.status);
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return `failed: ${cause?.code ?? String(error)}`;
  }
}

/** The status curl saw (`000` and its exit code when the connection failed). */
function curlStatus(args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(
      'curl',
      ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--max-time', '20', ...args],
      (error, stdout) => {
        const code = (error as { code?: number } | null)?.code;
        resolve(code === undefined ? stdout : `${stdout} (exit ${code})`);
      },
    );
  });
}

/** Runs `times` requests one after another and counts their outcomes. */
async function tally(times: number, send: () => Promise<string>): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (let index = 0; index < times; index++) {
    const outcome = await send();
    counts[outcome] = (counts[outcome] ?? 0) + 1;
  }
  return counts;
}

/**
 * Writes `head` on a raw connection, then keeps sending `fillerBytes` of filler as a client still
 * uploading would, and resolves with everything the server wrote before the connection closed.
 */
function sendWhileUploading(head: string, fillerBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const guard = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no close within 20 s; got ${JSON.stringify(received.slice(0, 200))}`));
    }, 20_000);
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (received += chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(guard);
      resolve(received);
    });
    const filler = Buffer.alloc(64 * 1024, 0x61);
    let sent = 0;
    const pump = (): void => {
      while (sent < fillerBytes && !socket.destroyed) {
        sent += filler.length;
        if (!socket.write(filler)) {
          socket.once('drain', pump);
          return;
        }
      }
    };
    socket.write(head, 'latin1', pump);
  });
}

describe('a response sent before the request body was read reaches the client', () => {
  it('100 of 100 oversized uploads from fetch see the 413', async () => {
    const counts = await tally(100, () =>
      fetchStatus('/upload', {
        method: 'POST',
        body: OVERSIZED,
        headers: { 'content-type': 'application/json' },
      }),
    );
    expect(counts).toEqual({ '413': 100 });
  }, 60_000);

  it('100 of 100 oversized uploads from curl without Expect: 100-continue see the 413', async () => {
    const counts = await tally(100, () =>
      curlStatus([
        '-H',
        'Expect:',
        '-H',
        'content-type: application/json',
        '--data-binary',
        `@${join(folder, 'oversized.json')}`,
        `http://127.0.0.1:${port}/upload`,
      ]),
    );
    expect(counts).toEqual({ '413': 100 });
  }, 120_000);

  it("a guard's 403 reaches a client uploading 8 MiB", async () => {
    const body = Buffer.alloc(8 * MiB, 0x20);
    const counts = await tally(20, () =>
      fetchStatus('/guarded', {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
      }),
    );
    expect(counts).toEqual({ '403': 20 });
  }, 60_000);

  it('a 413 for a chunked body that outgrows the limit reaches a client that keeps sending', async () => {
    const reply = await sendWhileUploading(
      `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${(4 * MiB).toString(16)}\r\n`,
      4 * MiB,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
    expect(reply).toContain('connection: close');
  });

  it('closes the connection after the linger budget when the client never stops', async () => {
    // 64 MiB more than the 413 allows, far past the 16 MiB read after the response.
    const reply = await sendWhileUploading(
      `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${128 * MiB}\r\n\r\n`,
      128 * MiB,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413 /);
  });
});

describe("node:http's own answers (clientError) reach the client", () => {
  const longUrl = `/ping?q=${'a'.repeat(100_000)}`;

  it('100 of 100 requests with a 100k-character URL see the 431 from fetch', async () => {
    expect(await tally(100, () => fetchStatus(longUrl))).toEqual({ '431': 100 });
  }, 60_000);

  it('100 of 100 requests with a 100k-character URL see the 431 from curl', async () => {
    expect(await tally(100, () => curlStatus([`http://127.0.0.1:${port}${longUrl}`]))).toEqual({
      '431': 100,
    });
  }, 120_000);

  it('a malformed chunked body gets a 400 while the client keeps sending', async () => {
    const reply = await sendWhileUploading(
      'POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n',
      2 * MiB,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
  });

  it('oversized chunk extensions get a 413 while the client keeps sending', async () => {
    const reply = await sendWhileUploading(
      `POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n10;ext=${'x'.repeat(20_000)}\r\n`,
      2 * MiB,
    );
    expect(reply).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
  });

  it('still serves requests afterwards', async () => {
    expect(await fetchStatus('/ping')).toBe('200');
  });
});
