import { ROUTE_COUNT } from '../../scenarios.mjs';

export function register(app) {
  for (let i = 0; i < ROUTE_COUNT; i++) {
    app.get(`/static/r${i}`, (req, res) => {
      res.json({ route: `s${i}` });
    });
    app.get(`/r/p${i}/:id`, (req, res) => {
      res.json({ route: `p${i}`, id: req.params.id });
    });
  }
}
