import { MemoryStore } from '../../src/sessions/memory-store';

describe('MemoryStore', () => {
  afterEach(() => jest.restoreAllMocks());

  it('returns a copy of what was stored, until the TTL passes', async () => {
    const store = new MemoryStore();
    const now = Date.now();
    jest.spyOn(Date, 'now').mockReturnValue(now);
    await store.set('a', { data: { n: 1 }, permanent: false }, 10);
    const first = await store.get('a');
    expect(first).toEqual({ data: { n: 1 }, permanent: false });
    (first?.data as { n: number }).n = 2;
    expect(await store.get('a')).toEqual({ data: { n: 1 }, permanent: false });
    jest.spyOn(Date, 'now').mockReturnValue(now + 10_001);
    expect(await store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('deletes entries', async () => {
    const store = new MemoryStore();
    await store.set('a', { data: {}, permanent: true }, 10);
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
  });
});
