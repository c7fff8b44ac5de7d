import { createHmac, randomBytes } from 'node:crypto';
import type { Config } from '../config/config';
import type { Logger } from '../config/logger';
import { FlagonError } from '../errors/flagon-error';

/** Shorter keys can be brute-forced offline from one signed cookie. */
export const MIN_SECRET_KEY_BYTES = 32;

const GENERATE_HINT = `generate one with: node -e "console.log(require('crypto').randomBytes(32).toString('hex'))" and set it as SECRET_KEY (or FLAGON_SECRET_KEY in the environment)`;

/** DI token for the app's SecretKeys, provided by the sessions extension at createApp. */
export const SECRET_KEYS = Symbol('flagon:secret-keys');

/** The app's signing secrets: the current one signs, every one verifies (rotation). */
export interface SecretKeys {
  readonly current: string;
  readonly all: readonly string[];
}

/**
 * Whether SECRET_KEY must be set: in production (NODE_ENV other than unset, `development` or
 * `test`) unless TESTING, as Flask runs without one until it is deployed.
 *
 * @example
 * if (isSecretKeyRequired(app.config)) console.log('set SECRET_KEY');
 */
export function isSecretKeyRequired(config: Config): boolean {
  return config.isProduction && !config.get('TESTING');
}

/**
 * Reads SECRET_KEY and SECRET_KEY_FALLBACKS. In production a missing or short key stops
 * createApp; otherwise an ephemeral key is generated with a warning (sessions then die with the
 * process).
 *
 * @example
 * const keys = resolveSecretKeys(app.config, app.logger);
 */
export function resolveSecretKeys(config: Config, logger: Logger): SecretKeys {
  const configured = config.get('SECRET_KEY');
  const isRelaxed = !isSecretKeyRequired(config);
  let current: string;
  if (configured === undefined || configured === '') {
    if (!isRelaxed)
      throw new FlagonError(
        'FLAGON_CONFIG_SECRET_KEY_MISSING',
        `SECRET_KEY is not set and NODE_ENV is ${JSON.stringify(config.get('NODE_ENV'))} (production); ${GENERATE_HINT}`,
      );
    logger.warn(
      'SECRET_KEY is not set: using an ephemeral key (sessions and CSRF tokens end when the process does); set SECRET_KEY and NODE_ENV=production to deploy',
    );
    current = randomBytes(32).toString('hex');
  } else if (typeof configured !== 'string') {
    throw new FlagonError('FLAGON_CONFIG_INVALID', 'SECRET_KEY must be a string');
  } else {
    if (Buffer.byteLength(configured) < MIN_SECRET_KEY_BYTES && !isRelaxed) {
      throw new FlagonError(
        'FLAGON_CONFIG_SECRET_KEY_TOO_SHORT',
        `SECRET_KEY is ${Buffer.byteLength(configured)} bytes; at least ${MIN_SECRET_KEY_BYTES} are required; ${GENERATE_HINT}`,
      );
    }
    current = configured;
  }
  const fallbacks = config.get('SECRET_KEY_FALLBACKS') ?? [];
  if (
    !Array.isArray(fallbacks) ||
    !fallbacks.every((key): key is string => typeof key === 'string' && key !== '')
  ) {
    throw new FlagonError(
      'FLAGON_CONFIG_INVALID',
      'SECRET_KEY_FALLBACKS must be a list of non-empty strings',
    );
  }
  return { current, all: [current, ...fallbacks] };
}

/**
 * A purpose-bound key: sessions and CSRF tokens never share a key, so a value signed for one
 * purpose cannot be replayed as the other (itsdangerous' salt).
 *
 * @example
 * const key = deriveKey(secret, 'session');
 */
export function deriveKey(secret: string, salt: string): Buffer {
  return createHmac('sha256', secret).update(`flagon.${salt}`).digest();
}
