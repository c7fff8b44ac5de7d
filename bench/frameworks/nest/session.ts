import secureSession from '@fastify/secure-session';
import { Controller, Get, Module, Req } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

// NestJS on Fastify only: its documented session setup is @fastify/secure-session. (On Express it
// is express-session, which is not installed: run.mjs skips nest-express for this scenario.)
interface SessionRequest {
  session: { get(key: string): unknown; set(key: string, value: unknown): void };
}

@Controller()
class SessionController {
  @Get('session')
  visit(@Req() req: SessionRequest): { visits: number } {
    const visits = ((req.session.get('visits') as number | undefined) ?? 0) + 1;
    req.session.set('visits', visits);
    return { visits };
  }
}

@Module({ controllers: [SessionController] })
export class ScenarioModule {}

/** Called by server.ts before listen. */
export async function configure(app: NestFastifyApplication): Promise<void> {
  await app.register(secureSession as never, {
    secret: 'bench-session-secret-0123456789abcdef',
    salt: 'bench-salt-16byt',
    cookieName: 'session',
    cookie: { path: '/', httpOnly: true, sameSite: 'lax' },
  });
}
