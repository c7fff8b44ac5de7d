export function register(app) {
  app.get('/hello', async () => ({ hello: 'world' }));
}
