import { Get, Module, Param, Render, Route } from 'flagon';

// The same 20 items as bench/scenarios.mjs (PAGE_ITEMS); bench/templates is the app's templates folder.
const ITEMS = Array.from({ length: 20 }, (_, i) => `Item ${i} <b class="x">Tom & Jerry's</b>`);

@Route('/page')
class PageController {
  @Get('/<name>')
  @Render('page')
  show(@Param('name') name: string): { title: string; name: string; items: string[] } {
    return { title: `Page ${name}`, name, items: ITEMS };
  }
}

@Module({ controllers: [PageController] })
export class ScenarioModule {}
