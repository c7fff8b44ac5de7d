// GET /page/<name> with handlebars used directly (page, then layout).
import { compilePage, pageContext } from '../../lib/templates.mjs';

const render = compilePage();

export function register(router) {
  router.get('/page/:name', (ctx) => {
    ctx.type = 'html';
    ctx.body = render(pageContext(ctx.params.name));
  });
}
