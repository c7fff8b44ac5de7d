export function register(app) {
  app.get('/users/:id', async (request) => ({
    id: request.params.id,
    fields: request.query.fields,
  }));
}
