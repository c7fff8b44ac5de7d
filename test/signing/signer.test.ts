import { Signer } from '../../src/signing/signer';
import { decodeSession, encodeSession } from '../../src/sessions/cookie-session';

const keys = (current: string, ...fallbacks: string[]) => ({
  current,
  all: [current, ...fallbacks],
});
const KEY = 'k'.repeat(40);
const OLD = 'o'.repeat(40);
const NOW = 1_800_000_000;

describe('Signer', () => {
  const signer = new Signer(keys(KEY), 'session');
  const token = signer.sign('payload', NOW);

  it('round-trips a value within its max age', () => {
    expect(signer.unsign(token, 60, NOW + 30)).toEqual({
      ok: true,
      value: 'payload',
      timestamp: NOW,
    });
  });

  it('refuses the token with any single character changed', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.';
    for (let index = 0; index < token.length; index++) {
      const original = token[index] as string;
      const replacement = alphabet[(alphabet.indexOf(original) + 1) % alphabet.length] as string;
      const tampered = token.slice(0, index) + replacement + token.slice(index + 1);
      expect(signer.unsign(tampered, 60, NOW).ok).toBe(false);
    }
  });

  it('refuses the token with any byte flipped', () => {
    const bytes = Buffer.from(token);
    for (let index = 0; index < bytes.length; index++) {
      const flipped = Buffer.from(bytes);
      flipped[index] = (flipped[index] as number) ^ 0x01;
      expect(signer.unsign(flipped.toString('latin1'), 60, NOW).ok).toBe(false);
    }
  });

  it('refuses truncated tokens, garbage and the empty string', () => {
    for (let length = 0; length < token.length; length++)
      expect(signer.unsign(token.slice(0, length), 60, NOW).ok).toBe(false);
    for (const garbage of [
      '',
      '.',
      '..',
      'a.b.c',
      '%%%',
      'payload.zzzzzz.' + 'A'.repeat(43),
      '\u0000\u00ff',
    ]) {
      expect(signer.unsign(garbage, 60, NOW).ok).toBe(false);
    }
  });

  it('refuses a token signed with another key or for another purpose', () => {
    expect(new Signer(keys('x'.repeat(40)), 'session').unsign(token, 60, NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
    expect(new Signer(keys(KEY), 'csrf').unsign(token, 60, NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });

  it('accepts a token signed with a fallback key and signs new ones with the current key', () => {
    const old = new Signer(keys(OLD), 'session').sign('payload', NOW);
    const rotated = new Signer(keys(KEY, OLD), 'session');
    expect(rotated.unsign(old, 60, NOW)).toMatchObject({ ok: true, value: 'payload' });
    expect(new Signer(keys(KEY), 'session').unsign(rotated.sign('x', NOW), 60, NOW)).toMatchObject({
      ok: true,
      value: 'x',
    });
    expect(new Signer(keys(OLD), 'session').unsign(rotated.sign('x', NOW), 60, NOW).ok).toBe(false);
  });

  it('reports an expired timestamp as expired and a future one as invalid', () => {
    expect(signer.unsign(token, 60, NOW + 61)).toEqual({ ok: false, reason: 'expired' });
    expect(signer.unsign(signer.sign('payload', NOW + 3600), 60, NOW)).toEqual({
      ok: false,
      reason: 'invalid',
    });
  });
});

describe('cookie session format', () => {
  const signer = new Signer(keys(KEY), 'session');

  it('round-trips data and the permanent flag', () => {
    const cookie = encodeSession(signer, { data: { user: 1, tags: ['a'] }, permanent: true });
    expect(decodeSession(signer, cookie, 60)).toEqual({
      data: { user: 1, tags: ['a'] },
      permanent: true,
    });
  });

  it('reads a validly signed payload that is not a session object as no session', () => {
    for (const text of ['[]', 'null', '"x"', '{"d":5}', 'not json']) {
      expect(
        decodeSession(signer, signer.sign(Buffer.from(text).toString('base64url')), 60),
      ).toBeUndefined();
    }
  });
});
