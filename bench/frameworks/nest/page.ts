import { Controller, Get, Header, Module, Param } from '@nestjs/common';
import Handlebars from 'handlebars';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Handlebars used directly (the same on both adapters): page, then layout. bench/templates.
const read = (file: string): string =>
  readFileSync(join(process.cwd(), 'bench', 'templates', file), 'utf8');
const page = Handlebars.compile(read('page.hbs'));
const layout = Handlebars.compile(read('layout.hbs'));
const ITEMS = Array.from({ length: 20 }, (_, i) => `Item ${i} <b class="x">Tom & Jerry's</b>`);

@Controller('page')
class PageController {
  @Get(':name')
  @Header('content-type', 'text/html; charset=utf-8')
  show(@Param('name') name: string): string {
    const context = { title: `Page ${name}`, name, items: ITEMS };
    return layout({ ...context, body: page(context) });
  }
}

@Module({ controllers: [PageController] })
export class ScenarioModule {}
