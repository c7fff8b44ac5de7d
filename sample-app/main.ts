import './register-flagon';
import { createBlogApp, optionsFromEnv } from './app';
import { installSignalHandlers } from 'flagon';

/**
 * `npm run sample`: PORT (3000), HOST (127.0.0.1), DATABASE (sample-app/instance/blog.sqlite) or
 * DATABASE_URL (postgres://…, which wins), NODE_ENV (development: debug mode; production, or any
 * value but test: SECRET_KEY required), and
 * SESSION_REDIS_URL to keep sessions in Redis so several instances can share them.
 */
async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const app = createBlogApp(optionsFromEnv(env));
  const mode = app.config.isProduction
    ? 'production'
    : app.config.get('DEBUG')
      ? 'debug'
      : 'development';
  const host = env['HOST'] || '127.0.0.1';
  const address = await app.listen({ port: Number(env['PORT'] || 3000), host });
  installSignalHandlers(app);
  app.logger.info(`Flaskr (${mode} mode) listening on http://${host}:${address.port}`);
}

main(process.env).catch((error: unknown) => {
  // Startup errors (a missing SECRET_KEY in production, a port in use) end the process with their code.
  const { code, message } = error as { code?: string; message?: string };
  console.error(
    `Cannot start the sample app: ${code ? `${code}: ` : ''}${message ?? String(error)}`,
  );
  process.exit(1);
});
