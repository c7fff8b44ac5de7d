import { Config } from '../../src';

describe('input config keys', () => {
  it('has safe defaults', () => {
    const config = new Config();
    expect([
      config.get('MAX_FORM_PARTS'),
      config.get('MAX_FORM_MEMORY_SIZE'),
      config.get('JSON_MAX_DEPTH'),
      config.get('VALIDATION'),
    ]).toEqual([
      1000,
      500 * 1024,
      32,
      { whitelist: true, forbidNonWhitelisted: false, forbidUnknownValues: true },
    ]);
  });

  it('merges a partial VALIDATION object over the defaults', () => {
    expect(new Config({ VALIDATION: { forbidNonWhitelisted: true } }).get('VALIDATION')).toEqual({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
    });
  });

  it.each([
    { MAX_FORM_PARTS: -1 },
    { JSON_MAX_DEPTH: 1.5 },
    { MAX_FILE_SIZE: 'big' },
    { UPLOAD_TEMP_DIR: 3 },
    { VALIDATION: { whitelist: 'yes' } },
    { VALIDATION: 'strict' },
  ])('rejects %p', (layer) => {
    expect(() => new Config(layer)).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
    );
  });
});
