import { Get, Module, Route, session } from 'flagon';

@Route('/')
class SessionController {
  // Flagon's default session: a signed cookie holding the data.
  @Get('/session')
  visit(): { visits: number } {
    const current = session();
    const visits = (current.get<number>('visits') ?? 0) + 1;
    current.set('visits', visits);
    return { visits };
  }
}

@Module({ controllers: [SessionController] })
export class ScenarioModule {}
