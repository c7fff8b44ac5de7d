import {
  createServer,
  ServerResponse,
  type IncomingMessage,
  type RequestListener,
  type Server,
} from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Logger } from 'pino';
import { FlagonError } from '../errors/flagon-error';
import { answerClientError } from '../http/lingering-close';
import { applyConnectionLimits, type ConnectionLimits } from './connection-limits';

/** The node:http limits `listen()` applies (from the SERVER_* settings), on by default against slow or oversized clients. */
export interface ServerLimits extends ConnectionLimits {
  readonly headersTimeout: number;
  readonly requestTimeout: number;
  readonly keepAliveTimeout: number;
  readonly maxHeaderSize: number;
  readonly connectionsCheckingInterval: number;
}

/** Makes a response that has not started yet the connection's last one. */
function markLast(res: unknown): void {
  if (res instanceof ServerResponse && !res.headersSent) res.setHeader('connection', 'close');
}

/** How long close() lets a connection that has sent nothing yet deliver its request. */
const NEW_CONNECTION_GRACE_MS = 500;

export interface ListenOptions {
  /** 0 (the default) picks a free port; read it back from the resolved address. */
  readonly port?: number;
  readonly host?: string;
}

/** Something that takes part in startup and shutdown (a module implementing OnInit/OnShutdown). */
export interface LifecycleParticipant {
  readonly name: string;
  readonly onInit?: () => void | Promise<void>;
  readonly onShutdown?: () => void | Promise<void>;
}

/**
 * Starts and stops the app: runs every participant's async init before `listen` resolves, and on
 * `close` stops accepting, lets in-flight requests finish, then runs shutdown hooks in reverse order.
 */
export class Lifecycle {
  private server: Server | undefined;
  private initPromise: Promise<void> | undefined;
  private closePromise: Promise<void> | undefined;
  private initialised: LifecycleParticipant[] = [];
  /** Resources built-in features own (a session store's connection), released after the modules'. */
  private readonly releases: {
    readonly name: string;
    readonly release: () => void | Promise<void>;
  }[] = [];
  private readonly sockets = new Set<Socket>();
  isClosing = false;
  /** True once init hooks have all run (the health check answers 200 from then on). */
  isReady = false;

  constructor(
    private readonly logger: Logger,
    private readonly shutdownTimeout: number,
  ) {}

  /** Runs `prepare` then the participants' init hooks, once; later calls share the first result. */
  init(prepare: () => readonly LifecycleParticipant[]): Promise<void> {
    if (this.closePromise)
      return Promise.reject(
        new FlagonError('FLAGON_APP_CLOSED', 'The app was closed; create a new one'),
      );
    this.initPromise ??= (async () => {
      for (const participant of prepare()) {
        if (participant.onInit) {
          try {
            await participant.onInit();
          } catch (error) {
            throw new FlagonError(
              'FLAGON_EXTENSION_INIT_FAILED',
              `${participant.name}.onInit() failed: ${(error as Error).message}`,
              { cause: error },
            );
          }
        }
        this.initialised.push(participant);
      }
      this.isReady = true;
    })();
    return this.initPromise;
  }

  async listen(
    listener: RequestListener,
    options: ListenOptions,
    limits: ServerLimits,
  ): Promise<AddressInfo> {
    if (this.server)
      throw new FlagonError(
        'FLAGON_APP_ALREADY_STARTED',
        'listen() was already called on this app',
      );
    // Malformed requests never reach the listener: 400 for Content-Length with Transfer-Encoding or
    // an invalid Content-Length, 431 above maxHeaderSize, 408 on the timeouts, answered by the
    // clientError handler below.
    const server = createServer(
      {
        headersTimeout: limits.headersTimeout,
        requestTimeout: limits.requestTimeout,
        keepAliveTimeout: limits.keepAliveTimeout,
        maxHeaderSize: limits.maxHeaderSize,
        connectionsCheckingInterval: limits.connectionsCheckingInterval,
      },
      listener,
    );
    server.keepAliveTimeout = limits.keepAliveTimeout;
    applyConnectionLimits(server, limits, this.logger);
    server.on('clientError', (error: Error, socket) => answerClientError(error, socket));
    // Per connection, not per request: close() needs the sockets that never sent a byte, which
    // closeIdleConnections() leaves open until the headers timeout.
    server.on('connection', (socket: Socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server.address() as AddressInfo;
  }

  get address(): AddressInfo | undefined {
    const address = this.server?.address();
    return typeof address === 'object' && address !== null ? address : undefined;
  }

  get httpServer(): Server | undefined {
    return this.server;
  }

  /** Called when a response is done: while closing, keep-alive sockets left idle are closed. */
  afterResponse(): void {
    if (this.isClosing) setImmediate(() => this.server?.closeIdleConnections());
  }

  /** Registers work that `close()` runs after every module's onShutdown, in reverse order. */
  addRelease(name: string, release: () => void | Promise<void>): void {
    this.releases.push({ name, release });
  }

  /**
   * Stops accepting, closes idle keep-alive sockets, waits for in-flight requests up to the
   * shutdown deadline (then force-closes what is left), and runs shutdown hooks in reverse order.
   */
  close(): Promise<void> {
    this.closePromise ??= (async () => {
      this.isClosing = true;
      const server = this.server;
      if (server) {
        await new Promise<void>((resolve) => {
          const deadline = setTimeout(() => {
            this.logger.warn(
              { timeoutMs: this.shutdownTimeout },
              'shutdown deadline reached; closing the remaining connections',
            );
            server.closeAllConnections();
          }, this.shutdownTimeout);
          // A connection that has not sent its request yet may be a client about to send it (a
          // rolling restart hands connections over until the server is closed): give it a moment.
          const grace = setTimeout(
            () => {
              for (const socket of this.sockets) if (socket.bytesRead === 0) socket.destroy();
            },
            Math.min(NEW_CONNECTION_GRACE_MS, this.shutdownTimeout),
          );
          server.close(() => {
            clearTimeout(deadline);
            clearTimeout(grace);
            resolve();
          });
          server.closeIdleConnections();
          // Responses still to come say `Connection: close`, so keep-alive clients do not send
          // another request on a socket that is about to close.
          for (const socket of this.sockets)
            markLast((socket as { _httpMessage?: unknown })._httpMessage);
          server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) =>
            markLast(res),
          );
        });
      }
      for (const participant of [...this.initialised].reverse()) {
        try {
          await participant.onShutdown?.();
        } catch (error) {
          this.logger.error({ err: error }, `${participant.name}.onShutdown() failed`);
        }
      }
      for (const { name, release } of [...this.releases].reverse()) {
        try {
          await release();
        } catch (error) {
          this.logger.error({ err: error }, `releasing ${name} failed`);
        }
      }
    })();
    return this.closePromise;
  }
}
