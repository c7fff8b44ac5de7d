export function register(router) {
  router.get('/hello', (ctx) => {
    ctx.body = { hello: 'world' };
  });
}
