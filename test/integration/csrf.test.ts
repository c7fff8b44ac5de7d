import { IsString } from 'class-validator';
import {
  Body,
  createApp,
  CsrfExempt,
  csrfField,
  csrfToken,
  Get,
  Module,
  Post,
  Route,
  session,
  type FlagonApp,
  Delete,
  Put,
  Patch,
  MemoryStore,
} from '../../src';
import { Signer } from '../../src/signing/signer';
import { multipart } from '../support/multipart';

const SECRET = 'c'.repeat(40);
const state = { changes: 0 };

@Route('/')
class FormController {
  @Get('/form')
  form(): string {
    return `<meta name="csrf-token" content="${csrfToken()}"><form method="post">${csrfField()}</form>`;
  }

  @Post('/change')
  change(): { changes: number } {
    state.changes++;
    return { changes: state.changes };
  }

  @Put('/change')
  put(): string {
    state.changes++;
    return 'ok';
  }

  @Patch('/change')
  patch(): string {
    state.changes++;
    return 'ok';
  }

  @Delete('/change')
  remove(): string {
    state.changes++;
    return 'ok';
  }

  @CsrfExempt()
  @Post('/webhook')
  webhook(): string {
    state.changes++;
    return 'ok';
  }

  @Post('/login')
  login(): string {
    session().set('user', 'alice');
    return 'logged in';
  }
}

@CsrfExempt()
@Route('/api')
class ApiController {
  @Post('/items')
  create(): string {
    state.changes++;
    return 'created';
  }
}

@Module({ controllers: [FormController, ApiController] })
class AppModule {}

function makeApp(config: Record<string, unknown> = {}): FlagonApp {
  return createApp({
    modules: [AppModule],
    config: { TESTING: true, SECRET_KEY: SECRET, ...config },
    env: false,
  });
}

async function clientWithToken(app = makeApp()) {
  const client = app.testClient();
  const page = await client.get('/form');
  const token = client.csrfToken as string;
  expect(page.text).toContain(`<input type="hidden" name="csrf_token" value="${token}">`);
  return { client, token };
}

beforeEach(() => {
  state.changes = 0;
});

describe('CSRF protection', () => {
  it('accepts the token from the form field or the X-CSRF-Token header', async () => {
    const { client, token } = await clientWithToken();
    expect((await client.post('/change', { form: { csrf_token: token, title: 'x' } })).status).toBe(
      200,
    );
    expect(
      (await client.post('/change', { json: { a: 1 }, headers: { 'x-csrf-token': token } })).status,
    ).toBe(200);
    for (const method of ['put', 'patch', 'delete'] as const)
      expect((await client[method]('/change', { headers: { 'x-csrf-token': token } })).status).toBe(
        200,
      );
    expect(state.changes).toBe(5);
  });

  it('accepts a same-origin Origin or Referer', async () => {
    const { client, token } = await clientWithToken();
    const origin = await client.post('/change', {
      form: { csrf_token: token },
      headers: { origin: 'http://localhost' },
    });
    const referer = await client.post('/change', {
      form: { csrf_token: token },
      headers: { referer: 'http://localhost/form' },
    });
    expect([origin.status, referer.status]).toEqual([200, 200]);
  });

  it.each([
    ['no token', {}, 'FLAGON_CSRF_TOKEN_MISSING'],
    ['an empty token', { form: { csrf_token: '' } }, 'FLAGON_CSRF_TOKEN_MISSING'],
    ['a garbage token', { form: { csrf_token: 'garbage' } }, 'FLAGON_CSRF_TOKEN_INVALID'],
    ['a foreign Origin', { origin: 'https://evil.example' }, 'FLAGON_CSRF_ORIGIN_MISMATCH'],
    ['an Origin of null', { origin: 'null' }, 'FLAGON_CSRF_ORIGIN_MISMATCH'],
    ['a foreign Referer', { referer: 'https://evil.example/page' }, 'FLAGON_CSRF_ORIGIN_MISMATCH'],
    ['another scheme', { origin: 'https://localhost' }, 'FLAGON_CSRF_ORIGIN_MISMATCH'],
  ] as const)(
    'refuses %s with a 400 naming the problem, and the handler never runs',
    async (_name, variant, code) => {
      const { client, token } = await clientWithToken();
      const headers: Record<string, string> = {};
      if ('origin' in variant) headers['origin'] = variant.origin;
      if ('referer' in variant) headers['referer'] = variant.referer;
      const form =
        'form' in variant
          ? variant.form
          : 'origin' in variant || 'referer' in variant
            ? { csrf_token: token }
            : undefined;
      const res = await client.post('/change', {
        headers: { ...headers, accept: 'application/json' },
        ...(form ? { form } : {}),
        csrf: false,
      });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: code.replace('FLAGON_', '').toLowerCase() });
      expect(state.changes).toBe(0);
    },
  );

  it("refuses another session's token", async () => {
    const { token } = await clientWithToken();
    const { client: other } = await clientWithToken();
    const res = await other.post('/change', { form: { csrf_token: token } });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'csrf_token_invalid' });
    expect(state.changes).toBe(0);
  });

  it('refuses a token when the client has no session', async () => {
    const { token } = await clientWithToken();
    const res = await makeApp()
      .testClient()
      .post('/change', { headers: { 'x-csrf-token': token } });
    expect(res.json()).toMatchObject({ error: 'csrf_token_invalid' });
    expect(state.changes).toBe(0);
  });

  it('refuses an expired token (CSRF_TIME_LIMIT)', async () => {
    const { client, token } = await clientWithToken(makeApp({ CSRF_TIME_LIMIT: 60 }));
    const secret = token.slice(0, token.indexOf('.'));
    const old = new Signer({ current: SECRET, all: [SECRET] }, 'csrf').sign(
      secret,
      Math.floor(Date.now() / 1000) - 61,
    );
    const res = await client.post('/change', { form: { csrf_token: old } });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'csrf_token_expired' });
    expect(state.changes).toBe(0);
  });

  it('protects login forms too (login CSRF): no session change without a token', async () => {
    const client = makeApp().testClient();
    const res = await client.post('/login', { form: { username: 'alice' }, csrf: false });
    expect(res.status).toBe(400);
    expect(res.headers['set-cookie']).toBeUndefined();
  });

  it('skips @CsrfExempt() methods and controllers', async () => {
    const client = makeApp().testClient();
    expect((await client.post('/webhook')).status).toBe(200);
    expect((await client.post('/api/items')).status).toBe(200);
    expect(state.changes).toBe(2);
  });

  it('is off with CSRF_ENABLED: false, and never checks safe methods', async () => {
    expect((await makeApp({ CSRF_ENABLED: false }).testClient().post('/change')).status).toBe(200);
    expect((await makeApp().testClient().get('/form')).status).toBe(200);
  });

  it('works the same with a server-side store', async () => {
    const { client, token } = await clientWithToken(makeApp({ SESSION_STORE: new MemoryStore() }));
    expect((await client.post('/change', { form: { csrf_token: token } })).status).toBe(200);
    expect((await client.post('/change', { form: { csrf_token: 'x' + token } })).status).toBe(400);
    expect(state.changes).toBe(1);
  });

  it.each([{ CSRF_TIME_LIMIT: 0 }, { CSRF_TIME_LIMIT: '1h' }, { CSRF_ENABLED: 'yes' }])(
    'refuses the setting %j at createApp',
    (config) => {
      expect(() => makeApp(config)).toThrow(
        expect.objectContaining({ code: 'FLAGON_CONFIG_INVALID' }) as Error,
      );
    },
  );

  it('trusts origins listed in CSRF_TRUSTED_ORIGINS', async () => {
    const { client, token } = await clientWithToken(
      makeApp({ CSRF_TRUSTED_ORIGINS: ['https://admin.example'] }),
    );
    expect(
      (
        await client.post('/change', {
          form: { csrf_token: token },
          headers: { origin: 'https://admin.example' },
        })
      ).status,
    ).toBe(200);
  });

  it('reads the token from a multipart form field, sharing the parse with the handler', async () => {
    class UploadForm {
      @IsString()
      title!: string;
    }
    @Route('/')
    class UploadController {
      @Post('/upload')
      upload(@Body() form: UploadForm): string {
        return form.title;
      }
      @Post('/no-body')
      noBody(): string {
        return 'reached';
      }
      @Get('/form')
      form(): string {
        return csrfField();
      }
    }
    @Module({ controllers: [UploadController] })
    class UploadModule {}
    const app = createApp({ modules: [UploadModule], config: { TESTING: true }, env: false });
    const client = app.testClient();
    await client.get('/form');
    const form = (fields: Record<string, string>) => ({
      body: multipart(Object.entries(fields).map(([name, value]) => ({ name, value }))),
      headers: { 'content-type': 'multipart/form-data; boundary=XyZ' },
    });

    const accepted = await client.post(
      '/upload',
      form({ csrf_token: client.csrfToken as string, title: 'Hello' }),
    );
    expect(accepted.status).toBe(200);
    expect(accepted.text).toBe('Hello');
    const missing = await client.post('/upload', { ...form({ title: 'Hello' }), csrf: false });
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({ error: 'csrf_token_missing' });
    // A route that never reads its body does not parse a multipart form for the token.
    const unread = await client.post('/no-body', {
      ...form({ csrf_token: client.csrfToken as string }),
      csrf: false,
    });
    expect(unread.status).toBe(400);
  });

  it('leaves the body readable by the handler after reading the form field', async () => {
    @Route('/')
    class EchoController {
      @Post('/echo')
      async echo(): Promise<string> {
        const { currentRequest } = await import('../../src');
        return new URLSearchParams(await currentRequest().text()).get('title') ?? '';
      }
      @Get('/form')
      form(): string {
        return csrfField();
      }
    }
    @Module({ controllers: [EchoController] })
    class EchoModule {}
    const app = createApp({ modules: [EchoModule], config: { TESTING: true }, env: false });
    const client = app.testClient();
    await client.get('/form');
    const res = await client.post('/echo', {
      form: { csrf_token: client.csrfToken as string, title: 'Hello' },
    });
    expect(res.text).toBe('Hello');
  });
});
