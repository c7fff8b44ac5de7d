import { Exclude, Expose, Type } from 'class-transformer';
import { IsInt, IsString, ValidateNested } from 'class-validator';
import {
  createApp,
  Get,
  Module,
  Param,
  Post,
  Response,
  Returns,
  Route,
  Status,
  type FlagonApp,
} from '../../src';

class AuthorView {
  @IsInt() id!: number;
  @IsString() username!: string;
}

class PostView {
  @IsInt() id!: number;
  @IsString() title!: string;
  @ValidateNested() @Type(() => AuthorView) author!: AuthorView;
}

@Exclude()
class ProfileView {
  @Expose() id!: number;
  @Expose({ name: 'display_name' }) displayName!: string;
  secret!: string;
}

class AccountView {
  @IsInt() id!: number;
  @Exclude() @IsString() password!: string;
}

const USER_ROW = { id: 7, username: 'ada', password_hash: '$argon2id$secret', is_admin: true };
const POST_ROW = { id: 1, title: 'Hello', body_draft: 'unpublished', author: USER_ROW };

@Route('/')
class ShapedController {
  @Get('/posts/<int:id>')
  @Returns(PostView)
  show(@Param('id') id: number): object {
    return { ...POST_ROW, id };
  }

  @Get('/posts')
  @Returns([PostView])
  async list(): Promise<object[]> {
    await Promise.resolve();
    return [POST_ROW, { ...POST_ROW, id: 2 }];
  }

  @Post('/posts')
  @Status(201)
  @Returns(PostView)
  create(): object {
    return POST_ROW;
  }

  @Get('/profile')
  @Returns(ProfileView)
  profile(): object {
    return { id: 3, displayName: 'Ada L.', secret: 'hunter2' };
  }

  @Get('/account')
  @Returns(AccountView)
  account(): object {
    return { id: 4, password: 'hunter2' };
  }

  @Get('/gone')
  @Returns(PostView)
  gone(): Response {
    return Response.json(
      { error: 'gone', password_hash: 'the handler chose to send this' },
      { status: 410 },
    );
  }

  @Get('/not-found-shape')
  @Returns(PostView, { status: 404 })
  notFoundShape(): object {
    return POST_ROW;
  }

  @Get('/raw')
  raw(): object {
    return USER_ROW;
  }
}

@Module({ controllers: [ShapedController] })
class ShapedModule {}

describe('@Returns shapes responses', () => {
  let app: FlagonApp;

  beforeAll(() => {
    app = createApp({
      modules: [ShapedModule],
      config: { TESTING: true, CSRF_ENABLED: false },
      env: false,
    });
  });
  afterAll(() => app.close());

  it('writes only the declared fields: a password_hash on the returned row does not leak', async () => {
    const res = await app.testClient().get('/posts/5');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ id: 5, title: 'Hello', author: { id: 7, username: 'ada' } });
    expect(res.text).not.toContain('password_hash');
    expect(res.text).not.toContain('is_admin');
  });

  it('shapes every element of a declared array, from an async handler', async () => {
    const res = await app.testClient().get('/posts');
    expect(res.json()).toEqual([
      { id: 1, title: 'Hello', author: { id: 7, username: 'ada' } },
      { id: 2, title: 'Hello', author: { id: 7, username: 'ada' } },
    ]);
  });

  it("keeps the route's @Status", async () => {
    const res = await app.testClient().post('/posts');
    expect(res.status).toBe(201);
    expect(res.json()).toEqual({ id: 1, title: 'Hello', author: { id: 7, username: 'ada' } });
  });

  it("respects class-transformer's @Exclude and @Expose (with its JSON name)", async () => {
    expect((await app.testClient().get('/profile')).json()).toEqual({
      id: 3,
      display_name: 'Ada L.',
    });
    expect((await app.testClient().get('/account')).json()).toEqual({ id: 4 });
  });

  it('lets a Response the handler built pass as it is', async () => {
    const res = await app.testClient().get('/gone');
    expect(res.status).toBe(410);
    expect(res.json()).toMatchObject({ error: 'gone' });
  });

  it('shapes only the success body: a @Returns for another status leaves it alone', async () => {
    expect((await app.testClient().get('/not-found-shape')).json()).toEqual(POST_ROW);
  });

  it('leaves routes without @Returns as they were', async () => {
    expect((await app.testClient().get('/raw')).json()).toEqual(USER_ROW);
  });
});

describe('@Returns at startup', () => {
  it('refuses a DTO that declares no properties before the first request', async () => {
    class Empty {
      id!: number;
    }
    @Route('/')
    class EmptyController {
      @Get('/')
      @Returns(Empty)
      show(): object {
        return { id: 1 };
      }
    }
    @Module({ controllers: [EmptyController] })
    class EmptyModule {}
    const app = createApp({ modules: [EmptyModule], config: { TESTING: true }, env: false });
    await expect(app.init()).rejects.toMatchObject({ code: 'FLAGON_RESPONSE_EMPTY_DTO' });
  });
});
