import { isFlagonError } from '../../errors/flagon-error';
import type { OpenApiDocument } from '../../openapi/openapi-types';
import { CliError } from '../cli-error';
import { stringValue, type BuiltinCommand } from '../command';
import { BUILT_ENTRIES, findEntry, loadApp, SOURCE_ENTRIES } from '../load-app';
import { writeOutput } from '../write-output';

const usage = `Usage: flagon openapi [entry] [--out FILE]

Prints the app's OpenAPI 3.1 document (JSON) without starting a server; the app must mount
OpenApiModule.configure(...). Generate a typed client from it, e.g.:
  flagon openapi --out openapi.json && npx openapi-typescript openapi.json -o src/api.d.ts

  entry          the app module (default: src/app.ts, app.ts, then dist/app.js …; or FLAGON_APP)
  --out FILE     write the document to FILE instead
  -h, --help     show this help`;

/** `flagon openapi`. */
export const openapiCommand: BuiltinCommand = {
  name: 'openapi',
  summary: "Print the app's OpenAPI document (JSON)",
  usage,
  maxPositionals: 1,
  options: { out: { type: 'string', short: 'o' } },
  async run(args, io) {
    const app = await loadApp(
      findEntry(args.positionals[0], [...SOURCE_ENTRIES, ...BUILT_ENTRIES], io.cwd),
    );
    await app.init();
    try {
      let document: OpenApiDocument;
      try {
        document = app.openapi();
      } catch (error) {
        if (isFlagonError(error) && error.code === 'FLAGON_OPENAPI_UNAVAILABLE')
          throw new CliError(error.message);
        throw error;
      }
      writeOutput(`${JSON.stringify(document, null, 2)}\n`, stringValue(args, 'out'), io);
    } finally {
      await app.close();
    }
    return 0;
  },
};
