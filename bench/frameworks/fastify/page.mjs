// GET /page/<name> through @fastify/view with Handlebars and a layout.
import fastifyView from '@fastify/view';
import handlebars from 'handlebars';
import { pageContext, TEMPLATES_DIR } from '../../lib/templates.mjs';

export function register(app) {
  app.register(fastifyView, {
    engine: { handlebars },
    root: TEMPLATES_DIR,
    layout: 'layout.hbs',
    production: true,
  });
  app.get('/page/:name', (request, reply) =>
    reply.view('page.hbs', pageContext(request.params.name)),
  );
}
