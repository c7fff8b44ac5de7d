import { Config, DEFAULT_SETTINGS } from '../../src/config/config';
import { createApp } from '../../src/create-app';
import { Module } from '../../src/modules/module';

describe('Config', () => {
  it('layers defaults, extension defaults, app config and FLAGON_* environment, lowest first', () => {
    @Module()
    class ExtModule {}
    const app = createApp({
      modules: [{ module: ExtModule, config: { EXT_A: 'ext', EXT_B: 'ext' } }],
      config: { TESTING: true, EXT_B: 'app', EXT_C: 'app' },
      env: {
        FLAGON_EXT_C: 'env',
        FLAGON_MAX_CONTENT_LENGTH: '2048',
        FLAGON_DEBUG: 'true',
        OTHER: 'ignored',
      },
    });
    expect(app.config.get('EXT_A')).toBe('ext');
    expect(app.config.get('EXT_B')).toBe('app');
    expect(app.config.get('EXT_C')).toBe('env');
    expect(app.config.get('MAX_CONTENT_LENGTH')).toBe(2048);
    expect(app.config.get('DEBUG')).toBe(true);
    expect(app.config.has('OTHER')).toBe(false);
    expect(app.config.get('TRUST_PROXY')).toBe(DEFAULT_SETTINGS.TRUST_PROXY);
  });

  it('ignores the environment with env: false', () => {
    @Module()
    class EmptyModule {}
    const app = createApp({ modules: [EmptyModule], config: { TESTING: true }, env: false });
    expect(app.config.get('MAX_CONTENT_LENGTH')).toBe(1024 * 1024);
  });

  it.each([
    [{ DEBUG: 'yes' }],
    [{ MAX_CONTENT_LENGTH: -1 }],
    [{ MAX_CONTENT_LENGTH: 1.5 }],
    [{ TRUST_PROXY: 'all' }],
    [{ PREFERRED_URL_SCHEME: 'ftp' }],
    [{ LOG_STREAM: 'file' }],
  ])('refuses invalid settings %j with FLAGON_CONFIG_INVALID', (layer) => {
    expect(() => new Config(layer)).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
    );
  });

  it.each([
    [{}, false],
    [{ NODE_ENV: 'development' }, true],
    [{ NODE_ENV: 'production' }, false],
    [{ NODE_ENV: 'staging' }, false],
    [{ NODE_ENV: 'test' }, false],
    [{ FLAGON_DEBUG: '1' }, true],
    [{ FLAGON_DEBUG: 'true' }, true],
    [{ NODE_ENV: 'development', FLAGON_DEBUG: '0' }, false],
  ])('turns debug mode on only when asked for: %j → DEBUG %p', (env, isDebug) => {
    expect(new Config(Config.fromEnv(env)).get('DEBUG')).toBe(isDebug);
  });

  it('keeps DEBUG from config whatever NODE_ENV says', () => {
    expect(
      new Config({ DEBUG: true }, Config.fromEnv({ NODE_ENV: 'production' })).get('DEBUG'),
    ).toBe(true);
    expect(
      new Config({ DEBUG: false }, Config.fromEnv({ NODE_ENV: 'development' })).get('DEBUG'),
    ).toBe(false);
  });

  it.each([
    [undefined, false],
    ['', false],
    ['development', false],
    ['test', false],
    ['production', true],
    ['staging', true],
    ['Production', true],
  ])('treats NODE_ENV=%j as production: %p', (nodeEnv, isProduction) => {
    expect(new Config(Config.fromEnv({ NODE_ENV: nodeEnv })).isProduction).toBe(isProduction);
  });

  it('reads FLAGON_* values as JSON when they parse, text otherwise', () => {
    expect(
      Config.fromEnv({
        FLAGON_A: '1',
        FLAGON_B: 'false',
        FLAGON_C: 'hello',
        FLAGON_D: '{"x":1}',
        PATH: '/bin',
      }),
    ).toEqual({ A: 1, B: false, C: 'hello', D: { x: 1 } });
  });
});
