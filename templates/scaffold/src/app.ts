import 'reflect-metadata';
import { join } from 'node:path';
import { createApp, loadEnv, LoginModule, type FlagonApp } from 'flagon';
import { AccountLoader } from './accounts/account-loader';
import { AccountsModule } from './accounts/accounts.module';
import { NotesModule } from './notes/notes.module';

/**
 * The app, built fresh on each call: `flagon dev`, `flagon start` and `flagon routes` call it,
 * and tests call it with `{ TESTING: true }`. Settings come from FLAGON_* variables and `.env`.
 */
export function buildApp(config: Record<string, unknown> = {}): FlagonApp {
  const root = join(__dirname, '..');
  return createApp({
    root,
    modules: [NotesModule, AccountsModule, LoginModule.configure({ loader: AccountLoader })],
    config,
    env: loadEnv(root),
  });
}
