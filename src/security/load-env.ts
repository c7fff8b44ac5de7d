import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'dotenv';

/**
 * The environment with a `.env` file underneath it: real environment variables always win, the
 * file only fills gaps. Pass the result as `createApp({ env })`, so `FLAGON_SECRET_KEY=…` in `.env`
 * configures the app. Opt-in, because a stray `.env` silently changing production config is
 * worse than a missing one; `process.env` is not modified.
 *
 * @example
 * const app = createApp({ modules: [AppModule], env: loadEnv(__dirname) });
 */
export function loadEnv(
  root: string = process.cwd(),
  options: { file?: string; env?: NodeJS.ProcessEnv } = {},
): NodeJS.ProcessEnv {
  const env = options.env ?? process.env;
  const path = join(root, options.file ?? '.env');
  if (!existsSync(path)) return { ...env };
  return { ...parse(readFileSync(path)), ...env };
}
