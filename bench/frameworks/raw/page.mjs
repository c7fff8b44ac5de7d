// GET /page/<name> with Handlebars templates precompiled at startup (handlebars.precompile →
// template spec), rendered page first, then the layout around it.
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pageContext, TEMPLATES_DIR } from '../../lib/templates.mjs';

function precompiled(file) {
  const spec = Handlebars.precompile(readFileSync(join(TEMPLATES_DIR, file), 'utf8'));
  return Handlebars.template(new Function(`return ${spec}`)());
}
const page = precompiled('page.hbs');
const layout = precompiled('layout.hbs');

export function handle(req, res, path) {
  if (req.method !== 'GET' || !path.startsWith('/page/')) return false;
  const name = decodeURIComponent(path.slice('/page/'.length));
  if (name === '' || name.includes('/')) return false;
  const context = pageContext(name);
  const html = layout({ ...context, body: page(context) });
  res.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-length': Buffer.byteLength(html),
  });
  res.end(html);
  return true;
}
