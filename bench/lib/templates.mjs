// The `page` scenario's templates for the frameworks that use handlebars directly: the page is
// rendered, then the layout around it (Flagon and @fastify/view do this step themselves).
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PAGE_ITEMS } from '../scenarios.mjs';

export const TEMPLATES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'templates');

/** The page's context for `name`. */
export function pageContext(name) {
  return { title: `Page ${name}`, name, items: PAGE_ITEMS };
}

/** Compiles page and layout once; returns `(context) => html`. */
export function compilePage(handlebars = Handlebars) {
  const page = handlebars.compile(readFileSync(join(TEMPLATES_DIR, 'page.hbs'), 'utf8'));
  const layout = handlebars.compile(readFileSync(join(TEMPLATES_DIR, 'layout.hbs'), 'utf8'));
  return (context) => layout({ ...context, body: page(context) });
}
