// POST /users with hand-written checks: what a validator has to do, without any framework.
import { problems } from '../../lib/user-checks.mjs';

const LIMIT = 1024 * 1024;

function send(res, status, value) {
  const json = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
}

export function handle(req, res, path) {
  if (req.method !== 'POST' || path !== '/users') return false;
  if (!(req.headers['content-type'] ?? '').startsWith('application/json')) {
    send(res, 415, { error: 'unsupported_media_type' });
    return true;
  }
  const chunks = [];
  let size = 0;
  req.on('data', (chunk) => {
    size += chunk.length;
    if (size <= LIMIT) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > LIMIT) return send(res, 413, { error: 'payload_too_large' });
    let user;
    try {
      user = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, 400, { error: 'invalid_json' });
    }
    const fields = problems(user);
    if (fields) return send(res, 400, { error: 'validation_failed', fields });
    send(res, 201, { name: user.name, email: user.email, age: user.age });
  });
  return true;
}
