import { inject, injectable } from 'tsyringe';

/** A class that can be constructed with injected arguments. */
export type Constructor<TInstance = unknown> = new (...args: never[]) => TInstance;
/** What a dependency is looked up by: a class, an abstract class, a string or a symbol. */
export type InjectionToken<TValue = unknown> =
  Constructor<TValue> | (abstract new (...args: never[]) => TValue) | string | symbol;

/** `singleton`: one instance per app; `transient`: one per injection; `request`: one per request. */
export type Scope = 'singleton' | 'transient' | 'request';

export type Provider<TValue = unknown> =
  | Constructor<TValue>
  | { readonly provide: InjectionToken<TValue>; readonly useValue: TValue }
  | {
      readonly provide: InjectionToken<TValue>;
      readonly useClass: Constructor<TValue>;
      readonly scope?: Scope;
    }
  | {
      readonly provide: InjectionToken<TValue>;
      readonly useFactory: (...deps: never[]) => TValue;
      readonly inject?: readonly InjectionToken[];
      readonly scope?: Scope;
    };

/**
 * What may stand in for a `TValue` in a test: an object with some of its public members, of the
 * same types. Private and protected members are not asked for (TypeScript compares them by
 * declaration, so no fake could have them), nor are the public members the code under test
 * does not use.
 */
export type Fake<TValue> = TValue extends object ? Partial<Pick<TValue, keyof TValue>> : TValue;

/**
 * A provider without its token, as `app.override(token, provider)` takes it. For a class token it
 * may be a structural fake (see `Fake`): no `as unknown as Service` cast.
 *
 * @example
 * app.override(PostService, { useValue: { list: () => [] } });
 */
export type ProviderDefinition<TValue = unknown> =
  | { readonly useValue: Fake<TValue> }
  | { readonly useClass: Constructor<Fake<TValue>>; readonly scope?: Scope }
  | {
      readonly useFactory: (...deps: never[]) => Fake<TValue>;
      readonly inject?: readonly InjectionToken[];
      readonly scope?: Scope;
    };

const SCOPE = Symbol('flagon:scope');
const INJECT_TOKENS = Symbol('flagon:inject-tokens');

/**
 * Marks a class as a provider that Flagon may construct: one instance per app unless another
 * scope is given. Such classes need no listing in `providers`.
 *
 * @example
 * @Injectable()
 * class PostService { constructor(private readonly db: Database) {} }
 */
export function Injectable(options: { scope?: Scope } = {}): ClassDecorator {
  return (target) => {
    Reflect.defineMetadata(SCOPE, options.scope ?? 'singleton', target);
    injectable()(target as unknown as Constructor);
  };
}

/**
 * Injects the provider registered under `token`, for interfaces and values that have no class.
 *
 * @example
 * constructor(@Inject(DB_FILE) private readonly file: string) {}
 */
export function Inject(token: InjectionToken): ParameterDecorator {
  return (target, propertyKey, index) => {
    const tokens =
      (Reflect.getOwnMetadata(INJECT_TOKENS, target) as Map<number, InjectionToken> | undefined) ??
      new Map<number, InjectionToken>();
    tokens.set(index, token);
    Reflect.defineMetadata(INJECT_TOKENS, tokens, target);
    inject(token as never)(target, propertyKey, index);
  };
}

/** The scope declared with `@Injectable`, or `undefined` for classes that are not injectable. */
export function getDeclaredScope(target: object): Scope | undefined {
  return Reflect.getOwnMetadata(SCOPE, target) as Scope | undefined;
}

/** The constructor's dependency tokens, `@Inject` winning over the declared parameter types. */
export function getConstructorTokens(target: Constructor): readonly (InjectionToken | undefined)[] {
  const types = (Reflect.getMetadata('design:paramtypes', target) as unknown[] | undefined) ?? [];
  const explicit =
    (Reflect.getOwnMetadata(INJECT_TOKENS, target) as Map<number, InjectionToken> | undefined) ??
    new Map<number, InjectionToken>();
  const count = Math.max(types.length, target.length, ...[...explicit.keys()].map((i) => i + 1));
  const tokens: (InjectionToken | undefined)[] = [];
  for (let index = 0; index < count; index++) {
    const type = explicit.get(index) ?? types[index];
    tokens.push(isUsableToken(type) ? type : undefined);
  }
  return tokens;
}

const UNUSABLE_TYPES = new Set<unknown>([
  Object,
  Function,
  String,
  Number,
  Boolean,
  Symbol,
  Array,
  Promise,
  undefined,
]);

function isUsableToken(type: unknown): type is InjectionToken {
  if (typeof type === 'string' || typeof type === 'symbol') return true;
  return typeof type === 'function' && !UNUSABLE_TYPES.has(type);
}

/** A readable name for a token in error messages. */
export function tokenName(token: InjectionToken | undefined): string {
  if (token === undefined) return '<unknown>';
  if (typeof token === 'function') return token.name || '<anonymous class>';
  return String(token);
}
