import { IsString, Length } from 'class-validator';
import { Body, Consumes, createApp, Module, Post, Route, type FlagonApp } from '../../src';
import { acceptedMediaTypes, getConsumes } from '../../src/http/body/consumes';
import { multipart } from '../support/multipart';

const MULTIPART = 'multipart/form-data; boundary=XyZ';

class PostDto {
  @IsString() @Length(1, 200) title!: string;
}

@Consumes('json')
@Route('/api')
class ApiController {
  @Post('/posts')
  create(@Body() post: PostDto): object {
    return { title: post.title };
  }

  @Post('/notes')
  @Consumes('text', 'form')
  note(@Body() body: unknown): object {
    return { body: body as object };
  }
}

@Route('/open')
class OpenController {
  @Post('/posts')
  create(@Body() post: PostDto): object {
    return { title: post.title };
  }
}

@Module({ controllers: [ApiController, OpenController] })
class AppModule {}

function build(): FlagonApp {
  // A JSON API tested without sessions: CSRF would ask every POST for a token.
  return createApp({
    modules: [AppModule],
    config: { TESTING: true, CSRF_ENABLED: false },
    env: false,
  });
}

describe('@Consumes', () => {
  const app = build();
  const client = app.testClient();
  afterAll(() => app.close());

  it('accepts the declared kind', async () => {
    const res = await client.post('/api/posts', { json: { title: 'Hi' } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ title: 'Hi' });
  });

  it('answers 415 for a url-encoded form on a JSON-only route, naming what it accepts', async () => {
    const res = await client.post('/api/posts', { form: { title: 'Hi' } });
    expect(res.status).toBe(415);
    expect(res.json()).toMatchObject({
      error: 'body_unsupported_type',
      contentType: 'application/x-www-form-urlencoded',
      accepted: ['application/json'],
    });
  });

  it('answers 415 for multipart and text on a JSON-only route', async () => {
    const res = await client.post('/api/posts', {
      body: multipart([{ name: 'title', value: 'Hi' }]),
      headers: { 'content-type': MULTIPART },
    });
    expect(res.status).toBe(415);
    const text = await client.post('/api/posts', {
      body: 'Hi',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBe(415);
  });

  it('lets a method’s @Consumes replace its controller’s', async () => {
    const text = await client.post('/api/notes', {
      body: 'hello',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.json()).toEqual({ body: 'hello' });
    expect((await client.post('/api/notes', { form: { a: '1' } })).status).toBe(200);
    expect((await client.post('/api/notes', { json: { a: 1 } })).status).toBe(415);
  });

  it('leaves routes without it accepting JSON, forms and multipart for a DTO', async () => {
    expect((await client.post('/open/posts', { json: { title: 'a' } })).status).toBe(200);
    expect((await client.post('/open/posts', { form: { title: 'b' } })).status).toBe(200);
    const res = await client.post('/open/posts', {
      body: multipart([{ name: 'title', value: 'c' }]),
      headers: { 'content-type': MULTIPART },
    });
    expect(res.json()).toEqual({ title: 'c' });
  });

  it('is readable for the OpenAPI document, DTO bodies never listing text/plain', () => {
    expect(getConsumes(ApiController, 'create')).toEqual(['json']);
    expect(getConsumes(ApiController, 'note')).toEqual(['text', 'form']);
    expect(getConsumes(OpenController, 'create')).toBeUndefined();
    expect(acceptedMediaTypes(ApiController, 'create', true)).toEqual(['application/json']);
    expect(acceptedMediaTypes(ApiController, 'note', false)).toEqual([
      'text/plain',
      'application/x-www-form-urlencoded',
    ]);
    expect(acceptedMediaTypes(OpenController, 'create', true)).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
    ]);
    expect(acceptedMediaTypes(OpenController, 'create', false)).toContain('text/plain');
  });

  it('refuses an unknown kind when the route is declared', () => {
    expect(() => Consumes('xml' as 'json')).toThrow(
      expect.objectContaining({ code: 'FLAGON_ROUTE_INVALID_HANDLER' }) as Error,
    );
  });
});
