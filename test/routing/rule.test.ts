import { BUILTIN_CONVERTERS } from '../../src/routing/converters';
import { joinPaths, parseRule } from '../../src/routing/rule';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('parseRule', () => {
  it('splits text and variables, string being the default converter', () => {
    const rule = parseRule('/posts/<int:id>/<slug>', BUILTIN_CONVERTERS);
    expect(rule.paramNames).toEqual(['id', 'slug']);
    expect(
      rule.parts.map((part) =>
        part.kind === 'text' ? part.text : `${part.converterName}:${part.name}`,
      ),
    ).toEqual(['/posts/', 'int:id', '/', 'string:slug']);
    expect(rule.routerPath).toBe('/posts/:id(^\\d+$)/:slug');
  });

  it('maps <path:rest> to a wildcard', () => {
    expect(parseRule('/files/<path:rest>', BUILTIN_CONVERTERS).routerPath).toBe('/files/*');
  });

  it('keeps colons in static text literal', () => {
    expect(parseRule('/a:b', BUILTIN_CONVERTERS).routerPath).toBe('/a::b');
  });

  it('refuses an unknown converter', () => {
    expect(codeOf(() => parseRule('/x/<hex:id>', BUILTIN_CONVERTERS))).toBe(
      'FLAGON_ROUTE_UNKNOWN_CONVERTER',
    );
  });

  it('refuses <path> anywhere but last', () => {
    expect(codeOf(() => parseRule('/files/<path:rest>/edit', BUILTIN_CONVERTERS))).toBe(
      'FLAGON_ROUTE_INVALID_RULE',
    );
  });

  it('refuses malformed rules', () => {
    for (const rule of ['posts', '/x/<int:id', '/x/<a><b>', '/x/*', '/x?y', '/x/<a>/<a>']) {
      expect([rule, codeOf(() => parseRule(rule, BUILTIN_CONVERTERS))]).toEqual([
        rule,
        'FLAGON_ROUTE_INVALID_RULE',
      ]);
    }
  });
});

describe('joinPaths', () => {
  it.each([
    [['/api', '/posts', '/<int:id>'], '/api/posts/<int:id>'],
    [['/api/', '/posts/'], '/api/posts/'],
    [['/', '/', '/'], '/'],
    [[undefined, '/docs/'], '/docs/'],
    [['/api', '/', '/'], '/api/'],
    [['/api', '/posts', '/'], '/api/posts/'],
    [['/api', '/posts', ''], '/api/posts'],
    [['api', 'posts'], '/api/posts'],
    [['/a//', '//b'], '/a/b'],
  ] as const)('joinPaths(%j) is %s', (segments, expected) => {
    expect(joinPaths(...segments)).toBe(expected);
  });
});
