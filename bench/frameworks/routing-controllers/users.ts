import { Get, JsonController, Param, QueryParam } from 'routing-controllers';

@JsonController('/users')
class UserController {
  // `fields: string` (not `string | undefined`): the emitted type must be String, or
  // routing-controllers parses the value as JSON.
  @Get('/:id')
  show(
    @Param('id') id: string,
    @QueryParam('fields') fields: string,
  ): { id: string; fields: string } {
    return { id, fields };
  }
}

export const controllers = [UserController];
