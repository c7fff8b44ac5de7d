import type { Config } from '../config/config';
import type { Constructor } from '../di/tokens';
import { FlagonError } from '../errors/flagon-error';
import {
  compileDto,
  isDtoClass,
  orThrow,
  type DtoPipeline,
  type Validated,
} from '../validation/dto';
import { getValidationOptions } from '../validation/validate-decorator';
import { getBodyPlan, markBodyRoute } from './body/body-plan';
import { parseBody, type ParsedBody } from './body/parse-body';
import type { Request } from './request';

/** Turns a request into one handler argument; may return a promise. */
export type ArgumentResolver = (req: Request) => unknown;

/** What a parameter decorator's factory knows about the parameter, at startup. */
export interface ParameterInfo {
  readonly controller: Constructor;
  readonly methodName: string;
  readonly index: number;
  /** The declared TypeScript type (from `design:paramtypes`), e.g. a DTO class, `Number`, `Array`. */
  readonly type: unknown;
  /** Names of the route's path variables. */
  readonly pathParams: readonly string[];
  /** The app's configuration (limits, validation defaults). */
  readonly config: Config;
}

/** Where a built-in parameter decorator reads from, for tools that describe routes (OpenAPI). */
export type ParameterSource = 'body' | 'query' | 'param';

export interface ParameterMetadata {
  readonly index: number;
  readonly build: (info: ParameterInfo) => ArgumentResolver;
  readonly isAsync: boolean;
  /** Set by `@Body`, `@ValidatedBody`, `@Query` and `@Param`. */
  readonly source?: ParameterSource;
  /** The DTO class validated from that source, if any. */
  readonly dto?: Constructor;
  /** The one field read (`@Query('q')`, `@Param('id')`), when not the whole source. */
  readonly name?: string;
}

/** What a built-in decorator records besides its resolver. */
interface ParameterDescription {
  readonly source?: ParameterSource;
  readonly dto?: Constructor;
  readonly name?: string;
}

const PARAMETERS = Symbol('flagon:parameters');

/**
 * Makes a parameter decorator from a factory that runs once per route at startup and returns the
 * per-request resolver. Used by every built-in parameter decorator; extensions use it too.
 *
 * @example
 * export const UserAgent = () => createParamDecorator(() => (req) => req.header('user-agent'));
 */
export function createParamDecorator(
  build: (info: ParameterInfo) => ArgumentResolver,
  options: { isAsync?: boolean } = {},
): ParameterDecorator {
  return describedParamDecorator(build, options, {});
}

function describedParamDecorator(
  build: (info: ParameterInfo) => ArgumentResolver,
  options: { isAsync?: boolean },
  description: ParameterDescription,
): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey === undefined) return;
    const key = String(propertyKey);
    const all =
      (Reflect.getOwnMetadata(PARAMETERS, target.constructor) as
        Map<string, ParameterMetadata[]> | undefined) ?? new Map<string, ParameterMetadata[]>();
    const list = all.get(key) ?? [];
    list.push({ index, build, isAsync: options.isAsync ?? false, ...description });
    all.set(key, list);
    Reflect.defineMetadata(PARAMETERS, all, target.constructor);
  };
}

export function getParameterMetadata(
  controller: object,
  methodName: string,
): readonly ParameterMetadata[] {
  for (
    let current: unknown = controller;
    typeof current === 'function';
    current = Object.getPrototypeOf(current)
  ) {
    const all = Reflect.getOwnMetadata(PARAMETERS, current) as
      Map<string, ParameterMetadata[]> | undefined;
    const list = all?.get(methodName);
    if (list) return list;
  }
  return [];
}

/** A DTO pipeline for one parameter, built at startup with the route's `@Validate` options. */
function compileFor<TDto>(
  info: ParameterInfo,
  dto: Constructor<TDto>,
  fromStrings: boolean,
): DtoPipeline<TDto> {
  return compileDto(
    dto,
    { ...getValidationOptions(info.controller, info.methodName), fromStrings },
    info.config.get('VALIDATION'),
  );
}

/** The DTO class a parameter is declared with (from design:paramtypes at decoration), if any. */
function dtoParameter(
  target: object,
  propertyKey: string | symbol | undefined,
  index: number,
): Constructor | undefined {
  if (propertyKey === undefined) return undefined;
  const types = Reflect.getMetadata('design:paramtypes', target, propertyKey) as
    unknown[] | undefined;
  const type = types?.[index];
  return isDtoClass(type) ? type : undefined;
}

/** Builds a parameter decorator whose resolver validates a string-only source against a DTO. */
function stringSourceDecorator(
  source: ParameterSource,
  read: (req: Request) => unknown,
  build: (info: ParameterInfo) => (req: Request) => unknown,
): ParameterDecorator {
  return (target, propertyKey, index) => {
    // A DTO-typed parameter resolves asynchronously (its validator may be async).
    const dto = dtoParameter(target, propertyKey, index);
    describedParamDecorator(
      (info) => {
        if (!isDtoClass(info.type)) return build(info);
        const pipeline = compileFor(info, info.type, true);
        return async (req) => orThrow(await pipeline.run(read(req)));
      },
      { isAsync: dto !== undefined },
      dto === undefined ? { source } : { source, dto },
    )(target, propertyKey, index);
  };
}

/**
 * A converted route param, or all of them; with no name and a DTO class type, all of them
 * converted and validated (400 on failure).
 *
 * @example
 * @Get('/<int:id>') show(@Param('id') id: number) {}
 * @Get('/<year>/<slug>') archive(@Param() params: ArchiveParams) {}
 */
export function Param(name?: string): ParameterDecorator {
  if (name !== undefined) {
    return describedParamDecorator(
      (info) => {
        if (!info.pathParams.includes(name)) {
          throw new Error(
            `@Param('${name}') on ${info.controller.name}.${info.methodName}: the route has no <${name}> (it has ${info.pathParams.map((p) => `<${p}>`).join(', ') || 'no variables'})`,
          );
        }
        return (req) => req.params[name];
      },
      {},
      { source: 'param', name },
    );
  }
  return stringSourceDecorator(
    'param',
    (req) => req.params,
    () => (req) => req.params,
  );
}

/**
 * A query parameter (its first value, or all of them when the parameter is typed as an array), or
 * the whole query object; with no name and a DTO class type, the whole query converted where the
 * DTO declares numbers, booleans or dates, and validated (400 on failure).
 *
 * @example
 * @Get('/search') search(@Query('q') q: string | undefined, @Query('tag') tags: string[]) {}
 * @Get('/posts') list(@Query() query: ListPostsQuery) {}
 */
export function Query(name?: string): ParameterDecorator {
  if (name !== undefined) {
    return describedParamDecorator(
      (info) => {
        if (info.type === Array) return (req) => req.queryAll(name);
        return (req) => req.queryAll(name)[0];
      },
      {},
      { source: 'query', name },
    );
  }
  return stringSourceDecorator(
    'query',
    (req) => req.query,
    () => (req) => req.query,
  );
}
/**
 * A request header (first value), or all headers.
 *
 * @example
 * @Get('/') index(@Headers('accept-language') language: string | undefined) {}
 */
export function Headers(name?: string): ParameterDecorator {
  return createParamDecorator(() =>
    name === undefined ? (req) => req.headers : (req) => req.header(name),
  );
}

/**
 * The `Request` itself. A parameter typed `Request` without a decorator gets it too.
 *
 * @example
 * @Get('/') index(@Req() req: Request) { return { ip: req.ip }; }
 */
export function Req(): ParameterDecorator {
  return createParamDecorator(() => (req) => req);
}

function rawBody(body: ParsedBody): unknown {
  return body.kind === 'json' ? body.value : body.kind === 'form' ? body.fields : body.text;
}

/** Builds the validation of a parsed DTO body: JSON as sent, form fields converted like a query string. */
function bodyDtoValidator<TDto>(
  info: ParameterInfo,
  dto: Constructor<TDto>,
): (body: ParsedBody) => Validated<TDto> | Promise<Validated<TDto>> {
  const fromJson = compileFor(info, dto, false);
  const fromForm = compileFor(info, dto, true);
  return (body) => {
    if (body.kind === 'text') {
      throw new FlagonError(
        'FLAGON_BODY_UNSUPPORTED_TYPE',
        `${dto.name} needs a JSON or form body, not text/plain`,
        { details: { contentType: 'text/plain' } },
      );
    }
    return body.kind === 'json' ? fromJson.run(body.value) : fromForm.run(body.fields);
  };
}

/** Builds the resolver of a DTO body as a result (`Validated<T>`), for `@ValidatedBody`. */
function bodyDtoResolver<TDto>(
  info: ParameterInfo,
  dto: Constructor<TDto>,
): (req: Request) => Promise<Validated<TDto>> {
  const plan = getBodyPlan(info.config, info.controller, info.methodName);
  const validate = bodyDtoValidator(info, dto);
  return (req) => parseBody(req, plan).then(validate);
}

/** Wraps a decorator so the route is known to read the body (CSRF then reads a multipart token from it). */
function bodyDecorator(decorator: ParameterDecorator): ParameterDecorator {
  return (target, propertyKey, index) => {
    if (propertyKey !== undefined) markBodyRoute(target, String(propertyKey));
    decorator(target, propertyKey, index);
  };
}

/**
 * The request body, parsed by Content-Type: JSON, url-encoded or multipart form fields, or
 * text/plain; any other or no Content-Type is a 415. Typed with a DTO class, it is transformed
 * and validated (400 `validation_failed` with `fields`); form strings are converted where the DTO
 * declares numbers, booleans or dates. Limits: MAX_CONTENT_LENGTH and friends, or `@BodyLimits`.
 *
 * @example
 * @Post('/') create(@Body() post: CreatePostDto) {}
 */
export function Body(): ParameterDecorator {
  return (target, propertyKey, index) => {
    const dto = dtoParameter(target, propertyKey, index);
    bodyDecorator(
      describedParamDecorator(
        (info) => {
          const plan = getBodyPlan(info.config, info.controller, info.methodName);
          if (isDtoClass(info.type)) {
            const validate = bodyDtoValidator(info, info.type);
            // Parse, validate and unwrap in one `then`: each promise costs.
            const validated = (body: ParsedBody): unknown => {
              const result = validate(body);
              return result instanceof Promise ? result.then(orThrow) : orThrow(result);
            };
            return (req) => parseBody(req, plan).then(validated);
          }
          return (req) => parseBody(req, plan).then(rawBody);
        },
        { isAsync: true },
        dto === undefined ? { source: 'body' } : { source: 'body', dto },
      ),
    )(target, propertyKey, index);
  };
}

/**
 * The body validated against `dto`, as a result instead of a 400, so a handler can re-render its
 * form with the messages (Flask-WTF's `validate_on_submit`). Malformed bodies still fail.
 *
 * @example
 * @Post('/login')
 * login(@ValidatedBody(LoginForm) form: Validated<LoginForm>) {
 *   if (!form.ok) return render('login', { errors: form.errors });
 * }
 */
export function ValidatedBody<TDto>(dto: Constructor<TDto>): ParameterDecorator {
  return bodyDecorator(
    describedParamDecorator(
      (info) => bodyDtoResolver(info, dto),
      { isAsync: true },
      {
        source: 'body',
        dto,
      },
    ),
  );
}
