import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Length,
  Max,
  MaxLength,
  Min,
  ValidateNested,
  Validate as ValidateWith,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { Type } from 'class-transformer';
import {
  Body,
  createApp,
  Get,
  Module,
  Param,
  Post,
  Query,
  Route,
  Validate,
  ValidatedBody,
  type Validated,
} from '../../src';
import { multipart } from '../support/multipart';

const MULTIPART = { 'content-type': 'multipart/form-data; boundary=XyZ' };

class AuthorDto {
  @IsString() @Length(1, 50) name!: string;
}

@ValidatorConstraint({ name: 'noShouting' })
class NoShouting implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value !== 'string' || value !== value.toUpperCase();
  }
  defaultMessage(): string {
    return '$property must not be all capitals';
  }
}

class CreatePostDto {
  @IsString() @MaxLength(200) @ValidateWith(NoShouting) title!: string;
  @IsString() @IsOptional() body?: string;
  @ValidateNested() @Type(() => AuthorDto) @IsOptional() author?: AuthorDto;
  @IsString({ each: true }) @ArrayMaxSize(3) @IsOptional() tags?: string[];
  @IsString({ groups: ['admin'] }) @IsOptional({ groups: ['default'] }) pinnedBy?: string;
}

class SearchQuery {
  @IsInt() @Min(1) @IsOptional() page?: number;
  @IsNumber() @IsOptional() ratio?: number;
  @IsBoolean() @IsOptional() draft?: boolean;
  @IsString() @IsOptional() q?: string;
  @IsInt({ each: true }) @Type(() => Number) @IsOptional() ids?: number[];
}

class UserDto {
  @IsString() @Length(1, 50) name!: string;
  @IsEmail() email!: string;
  @IsInt() @Min(0) @Max(150) age!: number;
}

/** No @IsString: only the declared types say these fields hold one value. */
class SignupForm {
  @IsNotEmpty() username!: string;
  @IsNotEmpty() password!: string;
  @IsInt() @IsOptional() age?: number;
  @IsString({ each: true }) @IsOptional() tags?: string[];
}

const describeSignup = (form: SignupForm): object => ({
  form,
  types: Object.fromEntries(
    Object.entries(form).map(([key, value]) => [
      key,
      Array.isArray(value) ? 'array' : typeof value,
    ]),
  ),
});

class SlugParams {
  @IsInt() year!: number;
  @IsIn(['a', 'b']) slug!: string;
}

@Route('/')
class InputController {
  @Post('posts')
  create(@Body() post: CreatePostDto): object {
    return {
      isInstance: post instanceof CreatePostDto,
      post,
      authorIsInstance: post.author === undefined || post.author instanceof AuthorDto,
    };
  }

  @Post('strict')
  @Validate({ forbidNonWhitelisted: true })
  strict(@Body() post: CreatePostDto): object {
    return post;
  }

  @Post('admin')
  @Validate({ groups: ['admin'] })
  admin(@Body() post: CreatePostDto): object {
    return post;
  }

  @Post('raw')
  raw(@Body() body: unknown): object {
    return { body: body as object };
  }

  @Get('search')
  search(@Query() query: SearchQuery): object {
    return {
      query,
      types: Object.fromEntries(
        Object.entries(query).map(([key, value]) => [
          key,
          Array.isArray(value) ? value.map((item) => typeof item) : typeof value,
        ]),
      ),
    };
  }

  @Post('users')
  user(@Body() user: UserDto): object {
    return user;
  }

  @Post('login')
  login(@ValidatedBody(UserDto) form: Validated<UserDto>): object {
    return form.ok ? { ok: true, name: form.value.name } : { ok: false, errors: form.errors };
  }

  @Post('signup')
  signup(@Body() form: SignupForm): object {
    return describeSignup(form);
  }

  @Post('signup-validated')
  signupValidated(@ValidatedBody(SignupForm) form: Validated<SignupForm>): object {
    return form.ok ? describeSignup(form.value) : { errors: form.errors };
  }

  @Get('signup')
  signupQuery(@Query() form: SignupForm): object {
    return describeSignup(form);
  }

  @Get('archive/<year>/<slug>')
  archive(@Param() params: SlugParams): object {
    return { params, year: typeof params.year };
  }
}

@Module({ controllers: [InputController] })
class InputModule {}

// These tests exercise body parsing; CSRF protection (on by default) has its own suite.
function client(config: Record<string, unknown> = {}) {
  return createApp({
    modules: [InputModule],
    config: { TESTING: true, CSRF_ENABLED: false, ...config },
    env: false,
  }).testClient();
}

describe('DTO bodies', () => {
  it('transforms a valid JSON body into a DTO instance with nested instances', async () => {
    const res = await client().post('/posts', {
      json: { title: 'Hello', author: { name: 'Ann' }, tags: ['a'] },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      isInstance: true,
      authorIsInstance: true,
      post: { title: 'Hello', author: { name: 'Ann' }, tags: ['a'] },
    });
  });

  it('returns 400 validation_failed with messages per field', async () => {
    const res = await client().post('/posts', { json: { title: 'x'.repeat(201) } });
    expect(res.status).toBe(400);
    expect(res.json()).toEqual({
      error: 'validation_failed',
      message: expect.any(String) as string,
      fields: { title: ['title must be shorter than or equal to 200 characters'] },
    });
  });

  it('reports nested fields as dotted paths and array items by index', async () => {
    const res = await client().post('/posts', {
      json: { title: 'ok', author: { name: '' }, tags: ['a', 5] },
    });
    expect(res.status).toBe(400);
    const { fields } = res.json<{ fields: Record<string, string[]> }>();
    expect(Object.keys(fields).sort()).toEqual(['author.name', 'tags']);
  });

  it('runs custom validators', async () => {
    const res = await client().post('/posts', { json: { title: 'LOUD' } });
    expect(res.json()).toMatchObject({ fields: { title: ['title must not be all capitals'] } });
  });

  it('strips unknown properties by default', async () => {
    const res = await client().post('/posts', {
      json: { title: 'Hi', isAdmin: true, author: { name: 'A', role: 'root' } },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ post: { title: 'Hi', author: { name: 'A' } } });
    expect(JSON.stringify(res.json())).not.toMatch(/isAdmin|role/);
  });

  it('rejects unknown properties naming them with @Validate({ forbidNonWhitelisted })', async () => {
    const res = await client().post('/strict', { json: { title: 'Hi', isAdmin: true } });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({
      error: 'validation_failed',
      fields: { isAdmin: ['property isAdmin should not exist'] },
    });
  });

  it('takes forbidNonWhitelisted from the VALIDATION config key', async () => {
    const res = await client({ VALIDATION: { forbidNonWhitelisted: true } }).post('/posts', {
      json: { title: 'Hi', extra: 1 },
    });
    expect(res.json()).toMatchObject({ fields: { extra: ['property extra should not exist'] } });
  });

  it('applies validation groups from @Validate', async () => {
    expect((await client().post('/posts', { json: { title: 'Hi' } })).status).toBe(200);
    const res = await client().post('/admin', { json: { title: 'Hi' } });
    expect(res.status).toBe(400);
    expect(Object.keys(res.json<{ fields: object }>().fields)).toEqual(['pinnedBy']);
  });

  it('rejects a JSON array or scalar where a DTO is expected', async () => {
    const res = await client().post('/posts', { json: [1, 2] });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'validation_failed' });
  });

  it('gives the raw parsed body to a parameter typed unknown', async () => {
    const res = await client().post('/raw', { json: { anything: [1, { b: 2 }] } });
    expect(res.json()).toEqual({ body: { anything: [1, { b: 2 }] } });
  });

  it('converts form strings where the DTO declares a number', async () => {
    const res = await client().post('/users', {
      form: { name: 'Ann', email: 'ann@example.com', age: '42' },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ name: 'Ann', email: 'ann@example.com', age: 42 });
  });

  it('does not convert JSON strings into numbers', async () => {
    const res = await client().post('/users', {
      json: { name: 'Ann', email: 'ann@example.com', age: '42' },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ fields: { age: expect.any(Array) as unknown } });
  });

  it('shows the default HTML error page to a browser form post', async () => {
    const res = await client().post('/users', {
      form: { name: '' },
      headers: { accept: 'text/html' },
    });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/text\/html/);
  });

  it('hands the errors to a handler that asks for Validated<T>', async () => {
    const bad = await client().post('/login', {
      form: { name: 'Ann', email: 'nope', age: '3' },
      headers: { accept: 'text/html' },
    });
    expect(bad.status).toBe(200);
    expect(bad.json()).toEqual({ ok: false, errors: { email: ['email must be an email'] } });
    const good = await client().post('/login', {
      form: { name: 'Ann', email: 'a@b.co', age: '3' },
    });
    expect(good.json()).toEqual({ ok: true, name: 'Ann' });
  });
});

describe('query and path DTOs', () => {
  it('converts declared numbers, booleans and number arrays', async () => {
    const res = await client().get('/search', {
      query: { page: '42', ratio: '4.5', draft: 'false', q: '007', ids: ['1', '2'] },
    });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({
      query: { page: 42, ratio: 4.5, draft: false, q: '007', ids: [1, 2] },
      types: {
        page: 'number',
        ratio: 'number',
        draft: 'boolean',
        q: 'string',
        ids: ['number', 'number'],
      },
    });
  });

  it.each([
    ['abc', 'page must be a number'],
    ['1e', 'page must be a number'],
    ['4.2', 'page must be an integer number'],
    ['0', 'page must not be less than 1'],
  ])('rejects page=%s with a field error, never NaN', async (page, message) => {
    const res = await client().get('/search', { query: { page } });
    expect(res.status).toBe(400);
    expect(res.json<{ fields: Record<string, string[]> }>().fields['page']).toContain(message);
  });

  it('treats an empty string as absent for a non-string field', async () => {
    const res = await client().get('/search', { query: { page: '', q: '' } });
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ query: { q: '' } });
  });

  it('rejects a boolean that is not true/false/1/0/on/off', async () => {
    const res = await client().get('/search', { query: { draft: 'maybe' } });
    expect(res.json()).toMatchObject({ fields: { draft: ['draft must be true or false'] } });
  });

  it('reports the item index of an unconvertible array item', async () => {
    const res = await client().get('/search', { query: { ids: ['1', 'x'] } });
    expect(res.json()).toMatchObject({ fields: { 'ids.1': ['ids.1 must be a number'] } });
  });

  it.each(['__proto__', 'constructor', 'prototype'])('refuses the query key %s', async (key) => {
    const res = await client().get(`/search?${key}=1&${key}[polluted]=1`);
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'body_forbidden_key' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('validates path variables as a DTO', async () => {
    expect((await client().get('/archive/2024/a')).json()).toEqual({
      params: { year: 2024, slug: 'a' },
      year: 'number',
    });
    expect((await client().get('/archive/20x4/c')).status).toBe(400);
  });
});

describe('a repeated key for a field declared as one value', () => {
  const expected = {
    form: { username: 'a', password: 'p1', age: 30, tags: ['x', 'y'] },
    types: { username: 'string', password: 'string', age: 'number', tags: 'array' },
  };
  const repeated = {
    username: ['a', 'b'],
    password: ['p1', 'p2'],
    age: ['30', '40'],
    tags: ['x', 'y'],
  };

  it('gives the first value from a url-encoded form, as Werkzeug does', async () => {
    const res = await client().post('/signup', { form: repeated });
    expect([res.status, res.json()]).toEqual([200, expected]);
  });

  it('does the same for @ValidatedBody and a query DTO', async () => {
    expect((await client().post('/signup-validated', { form: repeated })).json()).toEqual(expected);
    expect((await client().get('/signup', { query: repeated })).json()).toEqual(expected);
  });

  it('does the same for a multipart form', async () => {
    const res = await client().post('/signup', {
      body: multipart([
        { name: 'username', value: 'a' },
        { name: 'username', value: 'b' },
        { name: 'password', value: 'p1' },
        { name: 'password', value: 'p2' },
        { name: 'age', value: '30' },
        { name: 'tags', value: 'x' },
        { name: 'tags', value: 'y' },
      ]),
      headers: MULTIPART,
    });
    expect([res.status, res.json()]).toEqual([200, expected]);
  });

  it('leaves JSON to the DTO rules: an array stays an array', async () => {
    const res = await client().post('/signup', { json: { username: ['a'], password: 'p' } });
    expect(res.json()).toMatchObject({ types: { username: 'array' } });
  });
});

describe('prototype pollution through bodies', () => {
  it.each([
    ['top-level __proto__', '{"title":"x","__proto__":{"polluted":true}}'],
    ['nested __proto__', '{"title":"x","author":{"__proto__":{"polluted":true}}}'],
    ['constructor.prototype', '{"title":"x","constructor":{"prototype":{"polluted":true}}}'],
    ['a constructor key', '{"title":"x","author":{"name":"a","constructor":1}}'],
  ])('rejects %s with a 400', async (_name, body) => {
    const res = await client().post('/posts', {
      body,
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(400);
    expect(res.json()).toMatchObject({ error: 'body_forbidden_key' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('rejects __proto__ in a form body', async () => {
    const res = await client().post('/users', {
      body: '__proto__[age]=1&name=a',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(({} as Record<string, unknown>)['age']).toBeUndefined();
  });
});
