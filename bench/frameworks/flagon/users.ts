import { Get, Module, Param, Query, Route } from 'flagon';

@Route('/users')
class UserController {
  @Get('/<id>')
  show(
    @Param('id') id: string,
    @Query('fields') fields: string | undefined,
  ): { id: string; fields: string | undefined } {
    return { id, fields };
  }
}

@Module({ controllers: [UserController] })
export class ScenarioModule {}
