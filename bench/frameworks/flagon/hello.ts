import { Get, Module, Route } from 'flagon';

@Route('/')
class HelloController {
  @Get('/hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

@Module({ controllers: [HelloController] })
export class ScenarioModule {}
