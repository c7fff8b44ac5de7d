export function register(app) {
  app.get('/hello', (c) => c.json({ hello: 'world' }));
}
