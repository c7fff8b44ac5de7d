// GET /session: a hand-written signed cookie session (base64url JSON + HMAC-SHA256), read and
// rewritten on every request.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { SESSION_SECRET } from '../../scenarios.mjs';

const sign = (payload) => createHmac('sha256', SESSION_SECRET).update(payload).digest('base64url');

function readSession(header) {
  const match = /(?:^|;\s*)session=([^;]+)/.exec(header ?? '');
  if (!match) return {};
  const [payload, mac] = match[1].split('.');
  if (!payload || !mac) return {};
  const expected = Buffer.from(sign(payload));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return {};
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return {};
  }
}

export function handle(req, res, path) {
  if (req.method !== 'GET' || path !== '/session') return false;
  const session = readSession(req.headers.cookie);
  session.visits = (session.visits ?? 0) + 1;
  const payload = Buffer.from(JSON.stringify(session)).toString('base64url');
  const json = JSON.stringify({ visits: session.visits });
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'set-cookie': `session=${payload}.${sign(payload)}; Path=/; HttpOnly; SameSite=Lax`,
  });
  res.end(json);
  return true;
}
