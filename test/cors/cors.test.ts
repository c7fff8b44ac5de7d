import { corsPreflight, corsResponseHeaders, isPreflight } from '../../src/cors/cors-headers';
import { compileCorsPolicy, type CorsOptions } from '../../src/cors/cors-policy';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.example.net';

function actual(options: CorsOptions, origin: string | undefined): Record<string, string> {
  return corsResponseHeaders(compileCorsPolicy(options), origin);
}

function preflight(
  options: CorsOptions,
  origin: string,
  requestMethod = 'PUT',
  requestHeaders?: string,
): ReturnType<typeof corsPreflight> {
  return corsPreflight(compileCorsPolicy(options), {
    method: 'OPTIONS',
    origin,
    requestMethod,
    requestHeaders,
  });
}

describe('CORS on actual responses', () => {
  // Flask-CORS: origins='*' (its default) answers every origin with `*`.
  it('answers any origin with * for origins "*", with no Vary (the answer never changes)', () => {
    expect(actual({ origins: '*' }, APP)).toEqual({ 'access-control-allow-origin': '*' });
    expect(actual({ origins: ['*'] }, EVIL)).toEqual({ 'access-control-allow-origin': '*' });
  });

  // Flask-CORS: "the value of the Origin header is a case-sensitive match for any of the values in list of origins" → echoed.
  it('echoes a listed origin, with Vary: Origin', () => {
    expect(actual({ origins: [APP, 'http://localhost:5173'] }, APP)).toEqual({
      'access-control-allow-origin': APP,
      vary: 'Origin',
    });
  });

  // Both: an origin that does not match gets no CORS headers (the browser blocks the read).
  it('gives another origin no CORS header, only Vary: Origin so caches keep the answers apart', () => {
    expect(actual({ origins: [APP] }, EVIL)).toEqual({ vary: 'Origin' });
    expect(actual({ origins: [APP] }, 'https://app.example.com.evil.net')).toEqual({
      vary: 'Origin',
    });
  });

  // Flask-CORS/the Fetch spec: no Origin header, not a CORS request.
  it('adds nothing but Vary to a request without an Origin (same-origin or not a browser)', () => {
    expect(actual({ origins: [APP] }, undefined)).toEqual({ vary: 'Origin' });
    expect(actual({ origins: '*' }, undefined)).toEqual({ 'access-control-allow-origin': '*' });
  });

  // @fastify/cors: "a regular expression pattern ... If it is a match, the request origin will be reflected".
  it('reflects origins a RegExp matches, in a list too', () => {
    const options: CorsOptions = { origins: /^https:\/\/[a-z0-9-]+\.example\.com$/ };
    expect(actual(options, 'https://shop.example.com')['access-control-allow-origin']).toBe(
      'https://shop.example.com',
    );
    expect(actual(options, 'https://example.com.evil.net')).toEqual({ vary: 'Origin' });
    expect(
      actual({ origins: ['http://localhost:3000', /\.internal$/] }, 'https://a.internal')[
        'access-control-allow-origin'
      ],
    ).toBe('https://a.internal');
  });

  // @fastify/cors: a function deciding per origin.
  it('asks a function', () => {
    const options: CorsOptions = { origins: (origin) => origin.endsWith('.example.com') };
    expect(actual(options, APP)['access-control-allow-origin']).toBe(APP);
    expect(actual(options, EVIL)).toEqual({ vary: 'Origin' });
  });

  // Flask-CORS supports_credentials / @fastify/cors credentials: Access-Control-Allow-Credentials: true.
  it('allows credentials for listed origins, echoing the origin', () => {
    expect(actual({ origins: [APP], credentials: true }, APP)).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      vary: 'Origin',
    });
    expect(actual({ origins: [APP], credentials: true }, EVIL)).toEqual({ vary: 'Origin' });
  });

  // Flask-CORS expose_headers / @fastify/cors exposedHeaders: Access-Control-Expose-Headers.
  it('exposes the listed response headers to allowed origins', () => {
    expect(
      actual({ origins: [APP], exposedHeaders: ['X-Total-Count', 'Link'] }, APP)[
        'access-control-expose-headers'
      ],
    ).toBe('X-Total-Count, Link');
  });

  it('compares origins without regard to case, as hosts are', () => {
    expect(
      actual({ origins: ['https://App.Example.com'] }, APP)['access-control-allow-origin'],
    ).toBe(APP);
  });
});

describe('CORS preflights', () => {
  it('recognises a preflight by OPTIONS, Origin and Access-Control-Request-Method', () => {
    expect(isPreflight({ method: 'OPTIONS', origin: APP, requestMethod: 'PUT' })).toBe(true);
    expect(isPreflight({ method: 'OPTIONS', origin: APP })).toBe(false);
    expect(isPreflight({ method: 'OPTIONS', origin: undefined, requestMethod: 'PUT' })).toBe(false);
    expect(isPreflight({ method: 'PUT', origin: APP, requestMethod: 'PUT' })).toBe(false);
  });

  // @fastify/cors: optionsSuccessStatus 204, methods listed, requested headers reflected (with Vary).
  it('answers an allowed origin with 204, the methods and the requested headers', () => {
    expect(preflight({ origins: [APP] }, APP, 'PUT', 'Content-Type, X-CSRF-Token')).toEqual({
      status: 204,
      headers: {
        'access-control-allow-origin': APP,
        'access-control-allow-methods': 'GET, HEAD, POST, PUT, PATCH, DELETE',
        'access-control-allow-headers': 'Content-Type, X-CSRF-Token',
        vary: 'Origin, Access-Control-Request-Headers',
      },
    });
  });

  // Flask-CORS allow_headers: only the requested headers that match are allowed.
  it('allows only the listed request headers when allowedHeaders is set', () => {
    const answer = preflight(
      { origins: [APP], allowedHeaders: ['Content-Type'], methods: ['GET', 'POST'] },
      APP,
      'POST',
      'content-type, x-secret',
    );
    expect(answer?.headers).toEqual({
      'access-control-allow-origin': APP,
      'access-control-allow-methods': 'GET, POST',
      'access-control-allow-headers': 'content-type',
      vary: 'Origin',
    });
  });

  // Flask-CORS max_age / @fastify/cors maxAge: Access-Control-Max-Age on preflights.
  it('lets browsers cache the answer for maxAge seconds, and allows credentials', () => {
    expect(
      preflight({ origins: [APP], maxAge: 600, credentials: true }, APP)?.headers,
    ).toMatchObject({
      'access-control-max-age': '600',
      'access-control-allow-credentials': 'true',
    });
  });

  it('answers nothing for an origin that is not allowed', () => {
    expect(preflight({ origins: [APP] }, EVIL)).toBeUndefined();
  });

  it('answers any origin with * for origins "*"', () => {
    expect(preflight({ origins: '*' }, EVIL)?.headers['access-control-allow-origin']).toBe('*');
  });
});

describe('CORS options', () => {
  const refused = (options: CorsOptions): void => {
    expect(() => compileCorsPolicy(options)).toThrow(
      expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
    );
  };

  // The Fetch spec forbids `*` with credentials; Flask-CORS raises for it, Flagon does at startup.
  it('refuses "*" with credentials', () => {
    refused({ origins: '*', credentials: true });
    refused({ origins: ['*'], credentials: true });
  });

  it('refuses entries that are not origins, an empty list and bad numbers or header names', () => {
    refused({ origins: ['https://app.example.com/'] });
    refused({ origins: ['app.example.com'] });
    refused({ origins: ['https://app.example.com/path'] });
    refused({ origins: [] });
    refused({ origins: ['*', APP] });
    refused({ origins: [APP], maxAge: -1 });
    refused({ origins: [APP], allowedHeaders: ['bad header'] });
  });
});
