import { formatEvent } from '../../src/http/sse';

describe('formatEvent', () => {
  it('frames a string as one data field', () => {
    expect(formatEvent('hi')).toBe('data: hi\n\n');
  });

  it('splits every kind of line break into data fields', () => {
    expect(formatEvent({ data: 'a\r\nb\rc\nd' })).toBe('data: a\ndata: b\ndata: c\ndata: d\n\n');
  });

  it('sends non-string data as JSON with event, id and retry', () => {
    expect(formatEvent({ event: 'e', id: '1', retry: 500.7, data: { n: 1 } })).toBe(
      'event: e\nid: 1\nretry: 500\ndata: {"n":1}\n\n',
    );
  });

  it('refuses line breaks in event and id (event injection)', () => {
    expect(() => formatEvent({ event: 'a\ndata: injected', data: '' })).toThrow(TypeError);
    expect(() => formatEvent({ id: '1\r', data: '' })).toThrow(TypeError);
  });
});
