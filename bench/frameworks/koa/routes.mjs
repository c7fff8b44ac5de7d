import { ROUTE_COUNT } from '../../scenarios.mjs';

export function register(router) {
  for (let i = 0; i < ROUTE_COUNT; i++) {
    router.get(`/static/r${i}`, (ctx) => {
      ctx.body = { route: `s${i}` };
    });
    router.get(`/r/p${i}/:id`, (ctx) => {
      ctx.body = { route: `p${i}`, id: ctx.params.id };
    });
  }
}
