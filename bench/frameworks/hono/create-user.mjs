// POST /users with Hono's validator middleware (hono/validator) and hand-written checks.
import { validator } from 'hono/validator';
import { problems } from '../../lib/user-checks.mjs';

export function register(app) {
  app.post(
    '/users',
    validator('json', (value, c) => {
      const fields = problems(value);
      return fields ? c.json({ error: 'validation_failed', fields }, 400) : value;
    }),
    (c) => {
      const { name, email, age } = c.req.valid('json');
      return c.json({ name, email, age }, 201);
    },
  );
}
