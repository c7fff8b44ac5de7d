import fc from 'fast-check';
import {
  createApp,
  Get,
  Module,
  Param,
  Post,
  Req,
  Route,
  type Converter,
  type Request,
} from '../../src';

const violations: string[] = [];
let handled = 0;

function check(name: string, value: unknown, isValid: (value: unknown) => boolean): void {
  handled++;
  if (!isValid(value)) violations.push(`${name}=${JSON.stringify(value)}`);
}

const isNaturalInt = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isNonNegativeFloat = (value: unknown): boolean =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;
const isUuid = (value: unknown): boolean =>
  typeof value === 'string' &&
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(value);
const isSegment = (value: unknown): boolean =>
  typeof value === 'string' && value.length > 0 && !value.includes('/');
const isPath = (value: unknown): boolean => typeof value === 'string' && value.length > 0;
const isHexValue = (value: unknown): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

const hex: Converter<number> = {
  pattern: '[0-9a-f]{1,8}',
  parse: (text) => (/^[0-9a-f]{1,8}$/.test(text) ? parseInt(text, 16) : undefined),
  format: (value) => value.toString(16),
};

@Route('/')
class ConverterController {
  @Get('/i/<int:id>')
  int(@Param('id') id: unknown): string {
    check('int', id, isNaturalInt);
    return 'int';
  }

  @Get('/f/<float:x>')
  float(@Param('x') x: unknown): string {
    check('float', x, isNonNegativeFloat);
    return 'float';
  }

  @Get('/u/<uuid:id>')
  uuid(@Param('id') id: unknown): string {
    check('uuid', id, isUuid);
    return 'uuid';
  }

  @Get('/s/<name>')
  @Post('/s/<name>')
  string(@Param('name') name: unknown): string {
    check('string', name, isSegment);
    return 'string';
  }

  @Get('/p/<path:rest>')
  path(@Param('rest') rest: unknown): string {
    check('path', rest, isPath);
    return 'path';
  }

  @Get('/mix/<int:a>/<name>/<float:b>')
  mix(@Req() req: Request): string {
    check('mix.a', req.params['a'], isNaturalInt);
    check('mix.name', req.params['name'], isSegment);
    check('mix.b', req.params['b'], isNonNegativeFloat);
    return 'mix';
  }

  @Get('/h/<hex:value>/edit')
  hex(@Param('value') value: unknown): string {
    check('hex', value, isHexValue);
    return 'hex';
  }

  @Get('/static/page/')
  page(): string {
    return 'page';
  }
}

@Route('/')
class ApiController {
  @Get('/items/<int:id>')
  item(@Param('id') id: unknown): string {
    check('api.int', id, isNaturalInt);
    return 'item';
  }
}

@Module({ prefix: '/items-by-name', controllers: [] })
class EmptyModule {}

@Module({ prefix: '/api/v1', controllers: [ApiController], imports: [EmptyModule] })
class ApiModule {}

@Module({ controllers: [ConverterController] })
class RootModule {}

const app = createApp({
  modules: [RootModule, ApiModule],
  converters: { hex },
  config: { TESTING: true },
  env: false,
});
const client = app.testClient();

const segment = fc.oneof(
  fc.constantFrom(
    'i',
    'f',
    'u',
    's',
    'p',
    'mix',
    'h',
    'edit',
    'static',
    'page',
    'api',
    'v1',
    'items',
    '',
    '.',
    '..',
  ),
  fc.stringMatching(/^\d{1,30}$/),
  fc.stringMatching(/^\d{1,20}\.\d{1,20}$/),
  fc.stringMatching(/^[0-9a-fA-F]{1,10}$/),
  fc.uuid(),
  fc.constantFrom(
    '%',
    '%zz',
    '%2F',
    '%2f',
    '%00',
    '%C3%A9',
    '%FF',
    '%E2%82',
    '-1',
    '1e5',
    '0x1f',
    'NaN',
    'Infinity',
    '١٢٣',
  ),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 8 }).map((text) => text.replace(/[^\x21-\x7e]/g, '')),
);

/** Paths shaped like the routes, with random values where the variables go, so handlers are reached often. */
const routeShaped = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(['i'], ['f'], ['u'], ['s'], ['p'], ['api', 'v1', 'items'], ['h']),
      fc.array(segment, { minLength: 1, maxLength: 3 }),
    )
    .map(([head, tail]) => [...head, ...tail]),
  fc.tuple(segment, segment, segment).map(([a, name, b]) => ['mix', a, name, b]),
  segment.map((value) => ['h', value, 'edit']),
);

const requestArbitrary = fc.record({
  method: fc.oneof(
    { arbitrary: fc.constant('GET'), weight: 5 },
    fc.constantFrom('POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'),
  ),
  segments: fc.oneof(fc.array(segment, { minLength: 0, maxLength: 7 }), {
    arbitrary: routeShaped,
    weight: 3,
  }),
  query: fc.option(fc.string({ maxLength: 20 }).map(encodeURIComponent), { nil: undefined }),
});

describe('router fuzzing', () => {
  it('never answers 500 and never hands a converter-rejected value to a handler', async () => {
    await fc.assert(
      fc.asyncProperty(requestArbitrary, async ({ method, segments, query }) => {
        const path = `/${segments.join('/')}${query === undefined ? '' : `?q=${query}`}`;
        const res = await client.request(method, path);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
    expect(violations).toEqual([]);
    expect(handled).toBeGreaterThan(10);
  });
});

/**
 * Werkzeug's StateMachineMatcher, reduced to what these rules use: at each segment it tries the
 * static transition, then the converters (int before string), depth first; a state reached with
 * no segment left and no rule, but a rule one empty segment further (`/docs/` for `/docs`),
 * answers "redirect to the slashed path" and ends the search.
 */
interface ModelState {
  readonly static: Map<string, ModelState>;
  readonly dynamic: Map<'int' | 'string', ModelState>;
  rule?: string;
}

const newState = (): ModelState => ({ static: new Map(), dynamic: new Map() });

function buildModel(rules: readonly string[]): ModelState {
  const root = newState();
  for (const rule of rules) {
    let state = root;
    for (const part of rule.split('/').slice(1)) {
      const variable = /^<(?:(int):)?\w+>$/.exec(part);
      const table: Map<string, ModelState> = variable ? state.dynamic : state.static;
      const key = variable ? (variable[1] ?? 'string') : part;
      let next = table.get(key);
      if (!next) table.set(key, (next = newState()));
      state = next;
    }
    state.rule = rule;
  }
  return root;
}

type ModelResult = { readonly rule: string } | 'redirect' | undefined;

function matchModel(state: ModelState, parts: readonly string[]): ModelResult {
  const [part, ...rest] = parts;
  if (part === undefined) {
    if (state.rule !== undefined) return { rule: state.rule };
    return state.static.get('')?.rule === undefined ? undefined : 'redirect';
  }
  const staticNext = state.static.get(part);
  const viaStatic = staticNext && matchModel(staticNext, rest);
  if (viaStatic !== undefined) return viaStatic;
  const accepts = { int: /^\d+$/, string: /^[^/]+$/ };
  for (const converter of ['int', 'string'] as const) {
    const next = state.dynamic.get(converter);
    if (next && accepts[converter].test(part)) {
      const found = matchModel(next, rest);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const SLASH_RULES = [
  '/<name>',
  '/docs/',
  '/a/<x>',
  '/a/b/',
  '/<x>/<y>',
  '/<x>/docs/',
  '/api/<int:id>',
  '/api/new/',
  '/api/<int:id>/edit/',
  '/page',
  '/page/',
] as const;

@Route('/')
class SlashRulesController {}
for (const [index, rule] of SLASH_RULES.entries()) {
  const name = `rule${index}`;
  Object.defineProperty(SlashRulesController.prototype, name, { value: () => rule });
  Get(rule)(
    SlashRulesController.prototype,
    name,
    Object.getOwnPropertyDescriptor(SlashRulesController.prototype, name) as PropertyDescriptor,
  );
}

@Module({ controllers: [SlashRulesController] })
class SlashRulesModule {}

describe("router fuzzing against Werkzeug's matcher", () => {
  const slashClient = createApp({
    modules: [SlashRulesModule],
    config: { TESTING: true },
    env: false,
  }).testClient();
  const model = buildModel(SLASH_RULES);

  it('serves, redirects (308 to the slashed path) or 404s exactly as Werkzeug would', async () => {
    const part = fc.constantFrom('docs', 'a', 'b', 'api', 'new', 'edit', 'page', '5', '42', 'x');
    await fc.assert(
      fc.asyncProperty(
        fc.array(part, { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        async (parts, hasSlash) => {
          const path = `/${parts.join('/')}${hasSlash ? '/' : ''}`;
          const expected = matchModel(model, path.split('/').slice(1));
          const res = await slashClient.get(path);
          if (expected === undefined) expect(res.status).toBe(404);
          else if (expected === 'redirect')
            expect([res.status, res.headers['location']]).toEqual([308, `${path}/`]);
          else expect([res.status, res.text]).toEqual([200, expected.rule]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
