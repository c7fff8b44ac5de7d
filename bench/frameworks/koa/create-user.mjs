// POST /users: Koa has no body parser or validator built in (koa-bodyparser is not installed):
// the body is read by hand and checked by hand.
import { problems } from '../../lib/user-checks.mjs';

function readJson(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

export function register(router) {
  router.post('/users', async (ctx) => {
    const body = await readJson(ctx.req).catch(() => ctx.throw(400, 'invalid JSON'));
    const fields = problems(body);
    if (fields) {
      ctx.status = 400;
      ctx.body = { error: 'validation_failed', fields };
      return;
    }
    ctx.status = 201;
    ctx.body = { name: body.name, email: body.email, age: body.age };
  });
}
