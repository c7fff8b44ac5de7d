import { Controller, Get, Module } from '@nestjs/common';

@Controller()
class HelloController {
  @Get('hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

@Module({ controllers: [HelloController] })
export class ScenarioModule {}
