// GET /page/<name> with handlebars used directly (page, then layout).
import { compilePage, pageContext } from '../../lib/templates.mjs';

const render = compilePage();

export function register(app) {
  app.get('/page/:name', (c) => c.html(render(pageContext(c.req.param('name')))));
}
