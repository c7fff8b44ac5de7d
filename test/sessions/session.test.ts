import { HttpSession } from '../../src/sessions/session';

describe('HttpSession', () => {
  it('tracks reads as accessed and writes as modified', () => {
    const session = new HttpSession({ a: 1 });
    expect([session.accessed, session.modified]).toEqual([false, false]);
    expect(session.get('a')).toBe(1);
    expect([session.accessed, session.modified]).toEqual([true, false]);
    session.set('b', 2);
    expect(session.modified).toBe(true);
  });

  it('does not count deleting a missing key or clearing an empty session as a change', () => {
    const session = new HttpSession();
    expect(session.delete('x')).toBe(false);
    session.clear();
    expect(session.modified).toBe(false);
  });

  it('pops values and keeps keys like __proto__ as plain data', () => {
    const session = new HttpSession(
      JSON.parse('{"__proto__": {"polluted": true}, "k": "v"}') as Record<string, unknown>,
    );
    expect(session.pop('k')).toBe('v');
    expect(session.has('k')).toBe(false);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(session.keys()).toEqual(['__proto__']);
  });

  it('clears data and marks the session destroyed on destroy()', async () => {
    const session = new HttpSession({ a: 1 }, { permanent: true });
    await session.destroy();
    expect([session.isEmpty, session.permanent, session.isDestroyed]).toEqual([true, false, true]);
  });
});
