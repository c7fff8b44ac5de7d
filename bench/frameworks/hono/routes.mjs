import { ROUTE_COUNT } from '../../scenarios.mjs';

export function register(app) {
  for (let i = 0; i < ROUTE_COUNT; i++) {
    app.get(`/static/r${i}`, (c) => c.json({ route: `s${i}` }));
    app.get(`/r/p${i}/:id`, (c) => c.json({ route: `p${i}`, id: c.req.param('id') }));
  }
}
