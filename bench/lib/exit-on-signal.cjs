// Preloaded into servers measured under valgrind (instructions.mjs): exit normally on SIGTERM or
// SIGINT, so valgrind prints its count, whatever shutdown the framework itself would run.
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => process.exit(0));
