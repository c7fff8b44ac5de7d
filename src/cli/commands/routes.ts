import { guardNames } from '../../security/guards';
import { CliError } from '../cli-error';
import { stringValue, type BuiltinCommand } from '../command';
import { endpointDeclaration } from '../endpoint-declaration';
import { findEntry, loadApp, SOURCE_ENTRIES, BUILT_ENTRIES } from '../load-app';
import { writeOutput } from '../write-output';

const usage = `Usage: flagon routes [entry] [--sort endpoint|path|method|module] [--json]
       flagon routes [entry] --types [--out FILE]

Prints the route table like \`flask routes\`: method, path, endpoint, module and guards.

  entry          the app module (default: src/app.ts, app.ts, then dist/app.js …; or FLAGON_APP)
  --sort KEY     order by endpoint, path, method or module (default: registration order)
  --json         print JSON instead of a table
  --types        print a declaration typing urlFor's endpoints and their URL variables
  --out FILE     write the output to FILE instead (e.g. src/endpoints.d.ts)
  -h, --help     show this help`;

const SORT_KEYS = ['endpoint', 'path', 'method', 'module'] as const;

/** One line of the table: the route and its guards by name. */
interface RouteRow {
  readonly method: string;
  readonly path: string;
  readonly endpoint: string;
  readonly module: string;
  readonly guards: readonly string[];
}
type SortKey = (typeof SORT_KEYS)[number];

/** Renders rows as columns padded to their widest cell. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string[] {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** `flagon routes`. */
export const routesCommand: BuiltinCommand = {
  name: 'routes',
  summary: 'Print the route table (method, path, endpoint, module, guards)',
  usage,
  maxPositionals: 1,
  options: {
    sort: { type: 'string', short: 's' },
    json: { type: 'boolean' },
    types: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
  },
  async run(args, io) {
    const sort = stringValue(args, 'sort');
    if (sort !== undefined && !(SORT_KEYS as readonly string[]).includes(sort))
      throw new CliError(`--sort must be one of ${SORT_KEYS.join(', ')}; got "${sort}"`, 2, usage);
    const app = await loadApp(
      findEntry(args.positionals[0], [...SOURCE_ENTRIES, ...BUILT_ENTRIES], io.cwd),
    );
    const routes: RouteRow[] = app.routes().map((route) => ({
      method: route.method,
      path: route.path,
      endpoint: route.endpoint,
      module: route.module,
      guards: guardNames(route),
    }));
    const out = stringValue(args, 'out');
    if (args.values['types'] === true) {
      writeOutput(endpointDeclaration(app.routes()), out, io);
      return 0;
    }
    if (out !== undefined) {
      writeOutput(`${JSON.stringify(routes, null, 2)}\n`, out, io);
      return 0;
    }
    if (sort !== undefined)
      routes.sort(
        (a, b) =>
          a[sort as SortKey].localeCompare(b[sort as SortKey]) || a.path.localeCompare(b.path),
      );
    if (args.values['json'] === true) {
      io.out(JSON.stringify(routes, null, 2));
      return 0;
    }
    const rows = routes.map((route) => [
      route.method,
      route.path,
      route.endpoint,
      route.module,
      route.guards.join(', '),
    ]);
    for (const line of formatTable(['Method', 'Path', 'Endpoint', 'Module', 'Guards'], rows))
      io.out(line);
    return 0;
  },
};
