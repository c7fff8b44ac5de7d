export function register(app) {
  app.get('/users/:id', (req, res) => {
    res.json({ id: req.params.id, fields: req.query.fields });
  });
}
