import {
  Module,
  type CliCommand,
  type ConfiguredModule,
  type OnInit,
  type OnShutdown,
} from '../../src';
import { Database, DATABASE_OPTIONS, type DatabaseOptions } from './database';

/**
 * An extension module written only with Flagon's public API (Flask's `init_app` pattern): the
 * options become a provider, the connection opens before the first request and closes with
 * `app.close()`.
 *
 * @example
 * createApp({ modules: [DatabaseModule.configure({ file: 'instance/blog.sqlite' }), BlogModule] });
 */
/** `flagon db init`: flaskr's `flask init-db`, contributed to the CLI by the extension. */
export const initDatabaseCommand: CliCommand = {
  name: 'db init',
  description: 'Clear the existing data and create new tables',
  run: ({ app, print }) => {
    app.resolve(Database).reset();
    print('Initialized the database.');
  },
};

@Module({ providers: [Database] })
export class DatabaseModule implements OnInit, OnShutdown {
  constructor(private readonly database: Database) {}

  static configure(options: DatabaseOptions): ConfiguredModule {
    return {
      module: DatabaseModule,
      providers: [{ provide: DATABASE_OPTIONS, useValue: options }],
      commands: [initDatabaseCommand],
    };
  }

  onInit(): void {
    this.database.open();
  }

  onShutdown(): void {
    this.database.close();
  }
}
