import pino from 'pino';
import { createApp, LoginModule, MemoryStore, UserLoader } from '../../src';

interface Account {
  readonly id: number;
  readonly version: number;
}

class PlainLoader extends UserLoader<Account> {
  loadUser(): Account {
    return { id: 1, version: 0 };
  }
}

class VersionedLoader extends PlainLoader {
  override sessionVersion(account: Account): number {
    return account.version;
  }
}

/** The warnings an app logs while it starts. */
async function startupWarnings(
  loader: UserLoader,
  options: { env?: string; config?: Record<string, unknown> } = {},
): Promise<string[]> {
  const lines: string[] = [];
  const app = createApp({
    modules: [LoginModule.configure({ loader })],
    config: { SECRET_KEY: 's'.repeat(40), ...options.config },
    env: { NODE_ENV: options.env ?? 'production' },
    logger: pino({ level: 'warn' }, { write: (line: string) => lines.push(line) }),
  });
  await app.init();
  await app.close();
  return lines.map((line) => (JSON.parse(line) as { msg: string }).msg);
}

describe('the sessionVersion warning', () => {
  it('names the risk and the fix for cookie sessions in production', async () => {
    const warnings = await startupWarnings(new PlainLoader());
    expect(warnings).toEqual([
      expect.stringMatching(
        /PlainLoader does not implement sessionVersion.*before logout.*onLogout/,
      ),
    ]);
  });

  it.each([
    ['a loader with sessionVersion', new VersionedLoader(), {}],
    ['a server-side store', new PlainLoader(), { config: { SESSION_STORE: new MemoryStore() } }],
    ['development', new PlainLoader(), { env: 'development' }],
  ] as const)('is not logged with %s', async (_name, loader, options) => {
    expect(await startupWarnings(loader, options)).toEqual([]);
  });
});
