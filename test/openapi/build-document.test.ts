import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  ValidateNested,
  Matches,
} from 'class-validator';
import {
  Body,
  Consumes,
  Delete,
  Get,
  Param,
  Post,
  Put,
  Query,
  Returns,
  Route,
  Status,
  UploadedFile,
  type HttpMethod,
} from '../../src';
import { buildOpenApiDocument } from '../../src/openapi/build-document';
import { Doc } from '../../src/openapi/doc-decorator';
import { describeRoute, type RouteFacts } from '../../src/openapi/documented-route';
import type { OpenApiDocument, OpenApiOperation } from '../../src/openapi/openapi-types';
import { validateOpenApi } from '../support/validate-openapi';

class AuthorView {
  @IsInt() id!: number;
  @IsString() username!: string;
}

class PostView {
  @IsInt() id!: number;
  @IsString() title!: string;
  @IsString() body!: string;
  @ValidateNested() @Type(() => AuthorView) author!: AuthorView;
}

class CreatePostDto {
  @IsString() @Length(1, 200) title!: string;
  @IsString() body!: string;
}

class ListQuery {
  @IsOptional() @IsInt() @Min(1) page?: number;
  @IsOptional() @IsInt() @Min(1) @Max(100) limit?: number;
}

class SlugParams {
  @Matches(/^[a-z0-9-]+$/) slug!: string;
}

@Route('/api/posts')
class PostApi {
  @Get('/')
  @Returns([PostView])
  @Doc({ summary: 'Newest posts first' })
  list(@Query() _query: ListQuery, @Query('tag') _tags: string[]): PostView[] {
    return [];
  }

  @Get('/<int:id>')
  @Returns(PostView)
  show(@Param('id') id: number): PostView {
    return Object.assign(new PostView(), { id });
  }

  @Post('/')
  @Status(201)
  @Consumes('json')
  @Returns(PostView, { description: 'The new post' })
  create(@Body() post: CreatePostDto): PostView {
    return post as unknown as PostView;
  }

  @Put('/<int:id>')
  replace(@Param('id') _id: number, @Body() _post: CreatePostDto): void {}

  @Delete('/<int:id>')
  remove(@Param('id') _id: number): void {}

  @Get('/by-slug/<slug>')
  bySlug(@Param() params: SlugParams): object {
    return params;
  }

  @Get('/files/<path:rest>/')
  file(): string {
    return '';
  }

  @Get('/<uuid:key>/<float:score>')
  @Doc({ deprecated: true, tags: ['scores'], operationId: 'scoreOf' })
  score(): object {
    return {};
  }

  @Get('/internal')
  @Doc({ hidden: true })
  internal(): object {
    return {};
  }

  @Post('/<int:id>/cover')
  cover(
    @UploadedFile('image', { mimeTypes: ['image/png'] }) _image: UploadedFile,
    @UploadedFile('thumb', { optional: true }) _thumb: UploadedFile | undefined,
  ): void {}

  @Post('/notes')
  note(@Body() text: string): string {
    return text;
  }
}

function facts(
  method: HttpMethod,
  rule: string,
  methodName: keyof PostApi,
  extra: Partial<RouteFacts> = {},
): RouteFacts {
  return {
    method,
    rule,
    endpoint: `blog.PostApi.${methodName}`,
    module: 'blog',
    controller: PostApi,
    methodName,
    ...extra,
  };
}

const guarded = { guards: ['LoginRequired'], isCsrfProtected: true };

const ROUTES: RouteFacts[] = [
  facts('GET', '/api/posts/', 'list'),
  facts('GET', '/api/posts/<int:id>', 'show'),
  facts('POST', '/api/posts/', 'create', guarded),
  facts('PUT', '/api/posts/<int:id>', 'replace', {
    guards: ['Roles(admin)'],
    isCsrfProtected: true,
  }),
  facts('DELETE', '/api/posts/<int:id>', 'remove', { guards: ['OwnerGuard'] }),
  facts('GET', '/api/posts/by-slug/<slug>', 'bySlug'),
  facts('GET', '/api/posts/files/<path:rest>/', 'file'),
  facts('GET', '/api/posts/<uuid:key>/<float:score>', 'score'),
  facts('GET', '/api/posts/internal', 'internal'),
  facts('POST', '/api/posts/notes', 'note'),
  facts('POST', '/api/posts/<int:id>/cover', 'cover'),
  facts('OPTIONS', '/api/posts/notes', 'note'),
];

function build(routes: readonly RouteFacts[] = ROUTES): OpenApiDocument {
  return buildOpenApiDocument(routes.map(describeRoute), {
    title: 'Blog',
    version: '1.0.0',
    description: 'The blog API',
    servers: [{ url: 'https://blog.example.com' }],
    sessionCookieName: 'blog_session',
    csrfHeaderName: 'X-CSRF-Token',
  });
}

function operation(document: OpenApiDocument, path: string, method: string): OpenApiOperation {
  const item = document.paths[path] as Record<string, OpenApiOperation> | undefined;
  const found = item?.[method];
  if (!found) throw new Error(`no ${method} ${path} in ${Object.keys(document.paths).join(', ')}`);
  return found;
}

describe('buildOpenApiDocument', () => {
  const document = build();

  it('is a valid OpenAPI 3.1 document', () => {
    expect(validateOpenApi(document)).toEqual({ valid: true, version: '3.1', errors: [] });
    expect(document.openapi).toBe('3.1.0');
    expect(document.info).toEqual({ title: 'Blog', version: '1.0.0', description: 'The blog API' });
    expect(document.servers).toEqual([{ url: 'https://blog.example.com' }]);
  });

  it('has valid JSON Schemas (draft 2020-12) in components', () => {
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    ajv.addSchema({ $id: 'doc', components: document.components });
    const names = Object.keys(document.components.schemas);
    expect(names).toEqual(
      expect.arrayContaining([
        'PostView',
        'AuthorView',
        'CreatePostDto',
        'ValidationFailed',
        'Error',
      ]),
    );
    for (const name of names)
      expect(() => ajv.compile({ $ref: `doc#/components/schemas/${name}` })).not.toThrow();
  });

  it('turns rules into path templates with typed path parameters', () => {
    expect(Object.keys(document.paths)).toEqual([
      '/api/posts/',
      '/api/posts/{id}',
      '/api/posts/by-slug/{slug}',
      '/api/posts/files/{rest}/',
      '/api/posts/{key}/{score}',
      '/api/posts/notes',
      '/api/posts/{id}/cover',
    ]);
    expect(operation(document, '/api/posts/{id}', 'get').parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } },
    ]);
    expect(operation(document, '/api/posts/{key}/{score}', 'get').parameters).toEqual([
      { name: 'key', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
      { name: 'score', in: 'path', required: true, schema: { type: 'number', minimum: 0 } },
    ]);
    expect(operation(document, '/api/posts/files/{rest}/', 'get').parameters).toEqual([
      expect.objectContaining({ name: 'rest', schema: { type: 'string' } }),
    ]);
  });

  it('puts one operation per method on a path, named by endpoint and tagged by module', () => {
    expect(Object.keys(document.paths['/api/posts/{id}'] ?? {})).toEqual(['get', 'put', 'delete']);
    const show = operation(document, '/api/posts/{id}', 'get');
    expect(show.operationId).toBe('blog.PostApi.show');
    expect(show.tags).toEqual(['blog']);
    expect(document.tags).toEqual([{ name: 'blog' }, { name: 'scores' }]);
  });

  it('applies @Doc and leaves hidden routes and OPTIONS out', () => {
    expect(operation(document, '/api/posts/', 'get').summary).toBe('Newest posts first');
    const score = operation(document, '/api/posts/{key}/{score}', 'get');
    expect(score).toMatchObject({
      operationId: 'scoreOf',
      deprecated: true,
      tags: ['blog', 'scores'],
    });
    expect(document.paths['/api/posts/internal']).toBeUndefined();
    expect(Object.keys(document.paths['/api/posts/notes'] ?? {})).toEqual(['post']);
  });

  it('lists Query DTO properties and named query values as query parameters', () => {
    expect(operation(document, '/api/posts/', 'get').parameters).toEqual([
      {
        name: 'page',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1 },
      },
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 100 },
      },
      {
        name: 'tag',
        in: 'query',
        required: false,
        schema: { type: 'array', items: { type: 'string' } },
      },
    ]);
  });

  it('refines a plain path variable with its @Param() DTO', () => {
    expect(operation(document, '/api/posts/by-slug/{slug}', 'get').parameters).toEqual([
      {
        name: 'slug',
        in: 'path',
        required: true,
        schema: { type: 'string', pattern: '^[a-z0-9-]+$' },
      },
    ]);
  });

  it('refers to a Body DTO for exactly the media types the route accepts', () => {
    const create = operation(document, '/api/posts/', 'post');
    expect(create.requestBody).toEqual({
      required: true,
      content: { 'application/json': { schema: { $ref: '#/components/schemas/CreatePostDto' } } },
    });
    expect(
      Object.keys(operation(document, '/api/posts/{id}', 'put').requestBody?.content ?? {}),
    ).toEqual(['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data']);
    expect(
      Object.keys(operation(document, '/api/posts/notes', 'post').requestBody?.content ?? {}),
    ).toEqual([
      'application/json',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'text/plain',
    ]);
    expect(document.components.schemas['CreatePostDto']).toEqual({
      type: 'object',
      properties: {
        title: { type: 'string', minLength: 1, maxLength: 200 },
        body: { type: 'string' },
      },
      required: ['title', 'body'],
    });
  });

  it('describes upload fields as binary strings of a multipart body', () => {
    expect(operation(document, '/api/posts/{id}/cover', 'post').requestBody).toEqual({
      required: true,
      content: {
        'multipart/form-data': {
          schema: {
            type: 'object',
            properties: {
              image: { type: 'string', contentMediaType: 'image/png' },
              thumb: { type: 'string', contentMediaType: 'application/octet-stream' },
            },
            required: ['image'],
          },
        },
      },
    });
  });

  it('answers with the status Flagon answers with, and @Returns’ schema', () => {
    expect(Object.keys(operation(document, '/api/posts/', 'post').responses)).toEqual([
      '201',
      '400',
      '401',
      '413',
      '415',
    ]);
    expect(operation(document, '/api/posts/', 'post').responses['201']).toEqual({
      description: 'The new post',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/PostView' } } },
    });
    expect(operation(document, '/api/posts/', 'get').responses['200']).toEqual({
      description: 'OK',
      content: {
        'application/json': {
          schema: { type: 'array', items: { $ref: '#/components/schemas/PostView' } },
        },
      },
    });
    expect(operation(document, '/api/posts/{id}', 'delete').responses['204']).toEqual({
      description: 'No Content',
    });
    expect(operation(document, '/api/posts/files/{rest}/', 'get').responses['200']).toEqual({
      description: 'OK',
      content: { 'text/html': {} },
    });
    expect(document.components.schemas['AuthorView']).toBeDefined();
  });

  it('shares the validation_failed 400 body for DTO routes', () => {
    expect(operation(document, '/api/posts/', 'get').responses['400']).toEqual({
      $ref: '#/components/responses/ValidationFailed',
    });
    expect(document.components.schemas['ValidationFailed']).toMatchObject({
      properties: { error: { const: 'validation_failed' } },
      required: ['error', 'message', 'fields'],
    });
    expect(operation(document, '/api/posts/{id}', 'get').responses['400']).toBeUndefined();
  });

  it('adds 401 for login, 401 and 403 for roles, 403 for other guards', () => {
    const responses = (path: string, method: string): string[] =>
      Object.keys(operation(document, path, method).responses);
    expect(responses('/api/posts/', 'post')).toContain('401');
    expect(responses('/api/posts/', 'post')).not.toContain('403');
    expect(responses('/api/posts/{id}', 'put')).toEqual(expect.arrayContaining(['401', '403']));
    expect(responses('/api/posts/{id}', 'delete')).toEqual(['204', '403']);
  });

  it('lists the session cookie as the security of login-guarded routes', () => {
    expect(document.components.securitySchemes).toEqual({
      session: {
        type: 'apiKey',
        in: 'cookie',
        name: 'blog_session',
        description: 'The session cookie set by logging in',
      },
    });
    expect(operation(document, '/api/posts/', 'post').security).toEqual([{ session: [] }]);
    expect(operation(document, '/api/posts/', 'get').security).toBeUndefined();
  });

  it('adds the CSRF header where CSRF applies, required unless a form may carry the token', () => {
    expect(operation(document, '/api/posts/', 'post').parameters).toEqual([
      expect.objectContaining({ name: 'X-CSRF-Token', in: 'header', required: true }),
    ]);
    expect(operation(document, '/api/posts/{id}', 'put').parameters).toContainEqual(
      expect.objectContaining({ name: 'X-CSRF-Token', in: 'header', required: false }),
    );
    expect(operation(document, '/api/posts/{id}', 'delete').parameters).not.toContainEqual(
      expect.objectContaining({ in: 'header' }),
    );
  });

  it('gives an endpoint answering several rules distinct operation ids', () => {
    const twice = build([
      facts('GET', '/api/posts/<int:id>', 'show'),
      facts('GET', '/api/p/<int:id>', 'show'),
    ]);
    expect([
      operation(twice, '/api/posts/{id}', 'get').operationId,
      operation(twice, '/api/p/{id}', 'get').operationId,
    ]).toEqual(['blog.PostApi.show.get', 'blog.PostApi.show.get_2']);
    expect(validateOpenApi(twice).valid).toBe(true);
  });

  it('is the same document for the same routes', () => {
    expect(JSON.stringify(build())).toBe(JSON.stringify(document));
  });
});
