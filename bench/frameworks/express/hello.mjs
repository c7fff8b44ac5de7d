export function register(app) {
  app.get('/hello', (req, res) => {
    res.json({ hello: 'world' });
  });
}
