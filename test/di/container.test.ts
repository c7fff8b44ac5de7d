import { AppContainer } from '../../src/di/container';
import { Inject, Injectable } from '../../src/di/tokens';
import { errorOf } from '../support/error-of';

class Database {}

@Injectable()
class PostService {
  constructor(readonly db: Database) {}
}

@Injectable()
class PostController {
  constructor(readonly posts: PostService) {}
}

describe('AppContainer', () => {
  it('names the whole chain of a missing provider', () => {
    const container = new AppContainer();
    const error = errorOf(() => container.prepare([PostController]));
    expect(error.code).toBe('FLAGON_DI_MISSING_PROVIDER');
    expect(error.message).toContain(
      'PostController -> PostService -> Database: no provider for Database',
    );
  });

  it('resolves once the missing provider is given', () => {
    const container = new AppContainer();
    container.provide(Database);
    container.prepare([PostController]);
    const controller = container.resolve(PostController);
    expect(controller.posts.db).toBeInstanceOf(Database);
    expect(container.resolve(PostService)).toBe(controller.posts);
  });

  it('names a cycle', () => {
    @Injectable()
    class A {
      constructor(@Inject('B') readonly b: unknown) {}
    }
    @Injectable()
    class B {
      constructor(readonly a: A) {}
    }
    const container = new AppContainer();
    container.provide({ provide: 'B', useClass: B });
    const error = errorOf(() => container.prepare([A]));
    expect(error.code).toBe('FLAGON_DI_CIRCULAR');
    expect(error.message).toContain('A -> B -> A');
  });

  it('refuses a constructor parameter with no runtime type', () => {
    interface Clock {
      now(): number;
    }
    @Injectable()
    class Untyped {
      constructor(readonly clock: Clock) {}
    }
    const container = new AppContainer();
    const error = errorOf(() => container.prepare([Untyped]));
    expect(error.code).toBe('FLAGON_DI_UNTYPED_PARAMETER');
    expect(error.message).toContain('Untyped');
  });

  it('injects string and symbol tokens with @Inject', () => {
    const SYMBOL = Symbol('answer');
    @Injectable()
    class UsesTokens {
      constructor(
        @Inject('name') readonly name: string,
        @Inject(SYMBOL) readonly answer: number,
      ) {}
    }
    const container = new AppContainer();
    container.provide({ provide: 'name', useValue: 'flagon' });
    container.provide({ provide: SYMBOL, useFactory: () => 42 });
    container.prepare([UsesTokens]);
    expect(container.resolve(UsesTokens)).toMatchObject({ name: 'flagon', answer: 42 });
  });

  it('keeps singletons per container and transients per injection', () => {
    @Injectable({ scope: 'transient' })
    class Fresh {}
    @Injectable()
    class Shared {}
    const one = new AppContainer();
    const two = new AppContainer();
    one.prepare([Fresh, Shared]);
    two.prepare([Fresh, Shared]);
    expect(one.resolve(Shared)).toBe(one.resolve(Shared));
    expect(one.resolve(Shared)).not.toBe(two.resolve(Shared));
    expect(one.resolve(Fresh)).not.toBe(one.resolve(Fresh));
  });

  it('refuses an override once prepared', () => {
    const container = new AppContainer();
    container.prepare([]);
    expect(errorOf(() => container.override(Database, { useValue: {} })).code).toBe(
      'FLAGON_DI_OVERRIDE_TOO_LATE',
    );
  });
});
