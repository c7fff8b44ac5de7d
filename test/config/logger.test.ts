import { Config } from '../../src/config/config';
import { createLogger } from '../../src/config/logger';

describe('createLogger', () => {
  it('is silent in tests, debug in debug mode, info otherwise, and LOG_LEVEL wins', () => {
    expect(createLogger(new Config({ TESTING: true })).level).toBe('silent');
    expect(createLogger(new Config({ TESTING: true, DEBUG: true })).level).toBe('silent');
    expect(createLogger(new Config({})).level).toBe('info');
    expect(createLogger(new Config({ TESTING: true, LOG_LEVEL: 'warn' })).level).toBe('warn');
  });

  it('uses a debug level with pretty output in debug mode', () => {
    const logger = createLogger(new Config({ DEBUG: true }));
    expect(logger.level).toBe('debug');
    expect(logger.isLevelEnabled('debug')).toBe(true);
  });
});
