// GET /page/<name> with handlebars used directly (page, then layout).
import { compilePage, pageContext } from '../../lib/templates.mjs';

const render = compilePage();

export function register(app) {
  app.get('/page/:name', (req, res) => {
    res.type('html').send(render(pageContext(req.params.name)));
  });
}
