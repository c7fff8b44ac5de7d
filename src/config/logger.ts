import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import { lazyRequire } from '../util/lazy-require';
import type { Config } from './config';

const loadPinoPretty = lazyRequire<typeof PinoPretty>('pino-pretty', 'Pretty debug logs');

export type { Logger };

/** The app's pino logger: pretty and synchronous in debug, JSON lines otherwise, silent in tests. */
export function createLogger(config: Config): Logger {
  const level =
    config.get('LOG_LEVEL') ??
    (config.get('TESTING') ? 'silent' : config.get('DEBUG') ? 'debug' : 'info');
  const options = { level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime };
  const fd = config.get('LOG_STREAM') === 'stderr' ? 2 : 1;
  if (config.get('DEBUG') && !config.get('TESTING')) {
    // Loaded only here: pino-pretty adds startup time that production never needs.
    const pretty = loadPinoPretty();
    return pino(options, pretty({ sync: true, ignore: 'pid,hostname', destination: fd }));
  }
  // Asynchronous writes keep logging off the request's critical path; pino flushes on exit.
  return pino(options, pino.destination({ dest: fd, sync: false }));
}
/** Injection token for the app's pino logger: `@Inject(LOGGER) logger: Logger`. */
export const LOGGER = Symbol('flagon:logger');
