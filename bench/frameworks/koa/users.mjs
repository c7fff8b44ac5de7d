export function register(router) {
  router.get('/users/:id', (ctx) => {
    ctx.body = { id: ctx.params.id, fields: ctx.query.fields };
  });
}
