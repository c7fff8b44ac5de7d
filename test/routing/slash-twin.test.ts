import { BUILTIN_CONVERTERS } from '../../src/routing/converters';
import { parseRule } from '../../src/routing/rule';
import { slashTwin } from '../../src/routing/slash-twin';

const twinOf = (rule: string): string | undefined => slashTwin(parseRule(rule, BUILTIN_CONVERTERS));

describe('slashTwin', () => {
  it.each([
    ['/docs/', '/docs'],
    ['/a/b/', '/a/b'],
    ['/<user>/posts/', '/:user/posts'],
    ['/n/<int:id>/edit/', '/n/:id(^\\d+$)/edit'],
  ])('gives %s the slashless router path %s', (rule, twin) => {
    expect(twinOf(rule)).toBe(twin);
  });

  it.each(['/', '/docs', '/x/<id>/', '/<name>s/', '/files/<path:rest>'])(
    'gives %s none (no static last segment before a slash)',
    (rule) => {
      expect(twinOf(rule)).toBeUndefined();
    },
  );
});
