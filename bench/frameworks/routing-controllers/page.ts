import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ContentType, Controller, Get, Param } from 'routing-controllers';

// Handlebars used directly: page, then layout (bench/templates).
const read = (file: string): string =>
  readFileSync(join(process.cwd(), 'bench', 'templates', file), 'utf8');
const page = Handlebars.compile(read('page.hbs'));
const layout = Handlebars.compile(read('layout.hbs'));
const ITEMS = Array.from({ length: 20 }, (_, i) => `Item ${i} <b class="x">Tom & Jerry's</b>`);

@Controller('/page')
class PageController {
  @Get('/:name')
  @ContentType('text/html; charset=utf-8')
  show(@Param('name') name: string): string {
    const context = { title: `Page ${name}`, name, items: ITEMS };
    return layout({ ...context, body: page(context) });
  }
}

export const controllers = [PageController];
