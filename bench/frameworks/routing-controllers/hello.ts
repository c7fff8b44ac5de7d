import { Get, JsonController } from 'routing-controllers';

@JsonController()
class HelloController {
  @Get('/hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }
}

export const controllers = [HelloController];
