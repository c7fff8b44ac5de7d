import { ROUTE_COUNT } from '../../scenarios.mjs';

export function register(app) {
  for (let i = 0; i < ROUTE_COUNT; i++) {
    app.get(`/static/r${i}`, async () => ({ route: `s${i}` }));
    app.get(`/r/p${i}/:id`, async (request) => ({ route: `p${i}`, id: request.params.id }));
  }
}
