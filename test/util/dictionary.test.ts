import { createDictionary } from '../../src/util/dictionary';
import { parseCookies } from '../../src/http/cookies';
import { HttpSession } from '../../src/sessions/session';

describe('createDictionary', () => {
  it('inherits nothing: prototype names are absent until set, then ordinary own keys', () => {
    const dictionary = createDictionary<string>();
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf'])
      expect(dictionary[name]).toBeUndefined();
    dictionary['__proto__'] = 'a';
    dictionary['constructor'] = 'b';
    expect(Object.keys(dictionary)).toEqual(['__proto__', 'constructor']);
    expect(JSON.stringify(dictionary)).toBe('{"__proto__":"a","constructor":"b"}');
    // Nothing leaked onto shared prototypes.
    expect(({} as Record<string, unknown>)['constructor']).toBe(Object);
    expect(createDictionary<string>()['__proto__']).toBeUndefined();
  });

  it('keeps cookies and session data named like prototype members apart from the prototype', () => {
    const cookies = parseCookies('constructor=1; toString=2; __proto__=3');
    expect({ ...cookies }).toEqual({ constructor: '1', toString: '2', ['__proto__']: '3' });
    const session = new HttpSession({});
    expect(session.get('constructor')).toBeUndefined();
    session.set('constructor', 'x');
    expect(session.get('constructor')).toBe('x');
    expect(session.toJSON()).toEqual({ constructor: 'x' });
  });
});
