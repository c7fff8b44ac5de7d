import { FlagonError } from '../errors/flagon-error';

/**
 * A getter that loads a package on first use and keeps it: packages only some apps need (template
 * compiler, multipart parser, Redis client, pretty logs, the test client's injector) stay out of
 * every app's startup. A missing package fails with an error naming it and how to install it, so
 * optional peers can stay optional.
 *
 * @example
 * const loadBusboy = lazyRequire<typeof busboy>('busboy', 'multipart bodies');
 */
export function lazyRequire<TModule>(id: string, neededFor: string): () => TModule {
  let loaded: TModule | undefined;
  return () => (loaded ??= load<TModule>(id, neededFor));
}

function load<TModule>(id: string, neededFor: string): TModule {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the one place Flagon loads a package on first use
    return require(id) as TModule;
  } catch (error) {
    if (!isMissing(error, id)) throw error;
    const name = packageName(id);
    throw new FlagonError(
      'FLAGON_DEPENDENCY_MISSING',
      `${neededFor} needs the package "${name}", which is not installed: npm install ${name}`,
      { cause: error },
    );
  }
}

function isMissing(error: unknown, id: string): boolean {
  return (
    error instanceof Error &&
    (error as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND' &&
    error.message.includes(`'${id}'`)
  );
}

/** `class-transformer/cjs/storage` → `class-transformer`, `@scope/pkg/x` → `@scope/pkg`. */
function packageName(id: string): string {
  const parts = id.split('/');
  return id.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? id);
}
