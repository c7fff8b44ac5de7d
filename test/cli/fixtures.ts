import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const src = join(__dirname, '..', '..', 'src').replace(/\\/g, '/');

/** Writes a TypeScript app module for the CLI to load (it imports Flagon from this checkout's src). */
export function writeApp(path: string, body: string): string {
  mkdirSync(dirname(path), { recursive: true });
  // No `import 'reflect-metadata'`: the CLI loads it before the app (a temp folder has no node_modules).
  writeFileSync(path, `import * as flagon from '${src}';\n${body}\n`);
  return path;
}

/** A blog module with guarded routes and a database extension that adds `flagon db init`. */
export const BLOG_APP = `
const { createApp, Get, Post, Module, Route, LoginRequired, Roles, UseGuards } = flagon;

class ApiKeyGuard implements flagon.Guard {
  canActivate(): boolean {
    return true;
  }
}

@Route('/posts')
class PostController {
  @Get('/')
  list(): string[] { return []; }

  @Post('/')
  @LoginRequired()
  create(): object { return {}; }

  @Get('/<int:id>/admin')
  @UseGuards(ApiKeyGuard)
  @Roles('admin', 'editor')
  admin(): object { return {}; }
}

@Module({ prefix: '/blog', controllers: [PostController] })
class BlogModule {}

const initDb: flagon.CliCommand = {
  name: 'db init',
  description: 'Create the database schema',
  help: 'Drops nothing; safe to run twice.',
  run: ({ app, args, print }) => print(\`db ready (\${args.join(' ')}) root=\${app.routes().length}\`),
};
const failing: flagon.CliCommand = { name: 'db fail', description: 'Always fails', run: () => { throw new Error('disk full'); } };

@Module()
class DbModule {
  static configure(): flagon.ConfiguredModule {
    return { module: DbModule, commands: [initDb, failing] };
  }
}

export const app = createApp({ modules: [BlogModule, DbModule.configure()], config: { TESTING: true } });
`;

/** An app that reports its mode; `{{GREETING}}` is replaced so dev tests can change the source. */
export const MODE_APP = `
const { createApp, Get, Module, Route, Config } = flagon;

@Route('/')
class ModeController {
  constructor(private readonly config: Config) {}

  @Get('/mode')
  mode(): object {
    return { greeting: '{{GREETING}}', debug: this.config.get('DEBUG'), nodeEnv: process.env['NODE_ENV'] ?? null, pid: process.pid };
  }
}

@Module({ controllers: [ModeController] })
class ModeModule {}

export function buildApp() {
  return createApp({ modules: [ModeModule], config: { SECRET_KEY: 'a-test-secret-that-is-at-least-32-bytes-long' } });
}
`;
