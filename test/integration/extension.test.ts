import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  // These tests exercise the kernel; CSRF protection (on by default) has its own suite, so it is off here.
  Body,
  Config,
  createApp,
  Get,
  Inject,
  Injectable,
  Module,
  Param,
  Post,
  Route,
  type ConfiguredModule,
  type OnInit,
  type OnShutdown,
} from '../../src';

/** A tiny third-party extension: a key-value store kept in a JSON file. */
const KV_OPTIONS = Symbol('kv-options');

interface KeyValueOptions {
  readonly file: string;
  /** Makes onInit fail, to prove a failing init stops the app. */
  readonly failOnInit?: boolean;
}

const events: string[] = [];

@Injectable()
class KeyValueStore {
  private data: Record<string, unknown> = {};
  isOpen = false;

  constructor(
    @Inject(KV_OPTIONS) private readonly options: KeyValueOptions,
    private readonly config: Config,
  ) {}

  get prefix(): string {
    return this.config.get<string>('KV_PREFIX') ?? '';
  }

  async open(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.options.failOnInit) throw new Error(`cannot open ${this.options.file}`);
    try {
      this.data = JSON.parse(readFileSync(this.options.file, 'utf8')) as Record<string, unknown>;
    } catch {
      this.data = {};
    }
    this.isOpen = true;
  }

  get(key: string): unknown {
    return this.data[this.prefix + key];
  }

  set(key: string, value: unknown): void {
    this.data[this.prefix + key] = value;
  }

  async flush(): Promise<void> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    writeFileSync(this.options.file, JSON.stringify(this.data));
    this.isOpen = false;
  }
}

@Module()
class KeyValueModule implements OnInit, OnShutdown {
  constructor(private readonly store: KeyValueStore) {}

  static configure(options: KeyValueOptions): ConfiguredModule {
    return {
      module: KeyValueModule,
      providers: [{ provide: KV_OPTIONS, useValue: options }],
      config: { KV_PREFIX: 'kv:', KV_FLUSH: 'on-close' },
    };
  }

  async onInit(): Promise<void> {
    await this.store.open();
    events.push('kv init');
  }

  async onShutdown(): Promise<void> {
    await this.store.flush();
    events.push('kv shutdown');
  }
}

@Route('/kv')
class KvController {
  constructor(
    private readonly store: KeyValueStore,
    private readonly config: Config,
  ) {}
  @Get('/<key>')
  read(@Param('key') key: string): object {
    return {
      key,
      value: this.store.get(key) ?? null,
      isOpen: this.store.isOpen,
      flush: this.config.get('KV_FLUSH'),
    };
  }
  @Post('/<key>')
  write(@Param('key') key: string, @Body() body: { value: unknown }): void {
    this.store.set(key, body.value);
  }
}

@Module({ controllers: [KvController] })
class AppModule {}

describe('an extension module', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'flagon-kv-'));
    events.splice(0);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('contributes providers built from its options and config defaults that the app overrides', async () => {
    const file = join(dir, 'store.json');
    writeFileSync(file, JSON.stringify({ 'custom:a': 1 }));
    const app = createApp({
      modules: [AppModule, KeyValueModule.configure({ file })],
      config: { TESTING: true, CSRF_ENABLED: false, KV_PREFIX: 'custom:' },
    });
    const res = await app.testClient().get('/kv/a');
    expect(res.json()).toEqual({ key: 'a', value: 1, isOpen: true, flush: 'on-close' });
    expect(app.config.get('KV_PREFIX')).toBe('custom:');
  });

  it('runs its async init before listen() resolves and its shutdown on close()', async () => {
    const file = join(dir, 'store.json');
    const app = createApp({
      modules: [AppModule, KeyValueModule.configure({ file })],
      config: { TESTING: true, CSRF_ENABLED: false },
    });
    const address = await app.listen({ port: 0 });
    expect(events).toEqual(['kv init']);
    expect(app.resolve(KeyValueStore).isOpen).toBe(true);
    const base = `http://127.0.0.1:${address.port}`;
    const write = await fetch(`${base}/kv/answer`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: 42 }),
    });
    expect(write.status).toBe(204);
    await app.close();
    expect(events).toEqual(['kv init', 'kv shutdown']);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'kv:answer': 42 });
  });

  it('a failing init rejects listen() with FLAGON_EXTENSION_INIT_FAILED and nothing listens', async () => {
    const app = createApp({
      modules: [
        AppModule,
        KeyValueModule.configure({ file: join(dir, 'x.json'), failOnInit: true }),
      ],
      config: { TESTING: true, CSRF_ENABLED: false },
    });
    await expect(app.listen({ port: 0 })).rejects.toMatchObject({
      code: 'FLAGON_EXTENSION_INIT_FAILED',
      message: expect.stringContaining('KeyValueModule') as string,
    });
    expect(app.address).toBeUndefined();
  });
});

describe('lifecycle order', () => {
  const order: string[] = [];
  @Module()
  class FirstModule implements OnInit, OnShutdown {
    async onInit(): Promise<void> {
      await new Promise<void>((resolve) => setImmediate(resolve));
      order.push('first init');
    }
    onShutdown(): void {
      order.push('first shutdown');
      throw new Error('first shutdown failed');
    }
  }
  @Module()
  class SecondModule implements OnInit, OnShutdown {
    onInit(): void {
      order.push('second init');
    }
    async onShutdown(): Promise<void> {
      await Promise.resolve();
      order.push('second shutdown');
    }
  }

  it('inits once in mount order and shuts down in reverse, past a failing hook', async () => {
    const app = createApp({
      modules: [FirstModule, SecondModule],
      config: { TESTING: true, CSRF_ENABLED: false },
    });
    await Promise.all([app.init(), app.init(), app.testClient().get('/')]);
    expect(order).toEqual(['first init', 'second init']);
    await app.close();
    await app.close();
    expect(order).toEqual(['first init', 'second init', 'second shutdown', 'first shutdown']);
  });
});
