import { integerValue, stringValue, type BuiltinCommand } from '../command';
import { findEntry, SOURCE_ENTRIES } from '../load-app';
import { defaultHost, defaultPort, serveApp } from '../serve';

/** The process `flagon dev` restarts on each change: the app from source, debug on. Not listed in help. */
export const serveCommand: BuiltinCommand = {
  name: 'serve',
  summary: '',
  usage: 'Usage: flagon serve [entry] [--port N] [--host H]   (used by flagon dev)',
  maxPositionals: 1,
  options: { port: { type: 'string' }, host: { type: 'string' } },
  async run(args, io) {
    const port = integerValue(args, 'port', 0, 65535, this.usage) ?? defaultPort();
    await serveApp(
      findEntry(args.positionals[0], SOURCE_ENTRIES, io.cwd),
      { port, host: stringValue(args, 'host') ?? defaultHost(), handleSignals: true },
      io,
    );
    return undefined;
  },
};
