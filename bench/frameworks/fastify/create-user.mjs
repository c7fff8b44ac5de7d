// POST /users validated by Fastify's JSON schema (ajv, compiled at startup), echoed with 201.
const userSchema = {
  type: 'object',
  required: ['name', 'email', 'age'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 50 },
    email: { type: 'string', format: 'email' },
    age: { type: 'integer', minimum: 0, maximum: 150 },
  },
};

export function register(app) {
  app.post(
    '/users',
    { schema: { body: userSchema, response: { 201: userSchema } } },
    async (request, reply) => {
      const { name, email, age } = request.body;
      reply.code(201);
      return { name, email, age };
    },
  );
}
