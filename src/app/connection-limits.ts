import type { Server } from 'node:http';
import type { Logger } from '../config/logger';
import { closeStalledConnections } from './stalled-connections';

/** The per-connection limits `listen()` applies besides Node's request timeouts. */
export interface ConnectionLimits {
  /** SERVER_IDLE_TIMEOUT: ms without a byte read or written during a request; 0 disables. */
  readonly idleTimeout: number;
  /** SERVER_MAX_CONNECTIONS: connections open at once; more are closed when accepted. */
  readonly maxConnections: number;
}

/** Under a flood every refused connection would log a line: one warning per interval is enough. */
const DROP_WARNING_INTERVAL_MS = 10_000;

/**
 * Closes connections that stall (a client reading a response a few bytes at a time holds its
 * socket, and the response's buffers, until then) and caps how many are open at once, so slow
 * clients cannot pin memory and file descriptors without bound.
 *
 * @example
 * applyConnectionLimits(server, { idleTimeout: 60_000, maxConnections: 1000 }, logger);
 */
export function applyConnectionLimits(
  server: Server,
  limits: ConnectionLimits,
  logger: Logger,
): void {
  if (limits.idleTimeout > 0) closeStalledConnections(server, limits.idleTimeout);
  server.maxConnections = limits.maxConnections;
  let lastWarning = -Infinity;
  let dropped = 0;
  server.on('drop', () => {
    dropped++;
    const now = performance.now();
    if (now - lastWarning < DROP_WARNING_INTERVAL_MS) return;
    lastWarning = now;
    logger.warn(
      { maxConnections: limits.maxConnections, dropped },
      'SERVER_MAX_CONNECTIONS reached: new connections are closed as they arrive',
    );
    dropped = 0;
  });
}
