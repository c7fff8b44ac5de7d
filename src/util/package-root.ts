import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | null | undefined;

/**
 * Flagon's own package folder: the nearest folder above this file whose package.json is named
 * "flagon", or `undefined` when there is none. Found by walking up, not by a fixed `../..`, because
 * this file runs from `src/util/` in a checkout and from `dist/cjs/util/` in the installed package.
 *
 * @example
 * const scaffold = join(flagonRoot() ?? '.', 'templates', 'scaffold');
 */
export function flagonRoot(): string | undefined {
  if (cached === undefined) cached = findPackageRoot(__dirname, 'flagon') ?? null;
  return cached ?? undefined;
}

/**
 * The nearest folder at or above `from` holding a package.json whose `name` is `name`.
 *
 * @example
 * findPackageRoot('/app/node_modules/flagon/dist/cjs/views', 'flagon'); // '/app/node_modules/flagon'
 */
export function findPackageRoot(from: string, name: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && manifestName(manifest) === name) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

function manifestName(path: string): unknown {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name;
  } catch {
    // A package.json that is not JSON is not the one we look for; keep walking up.
    return undefined;
  }
}
