export function register(app) {
  app.get('/users/:id', (c) => c.json({ id: c.req.param('id'), fields: c.req.query('fields') }));
}
