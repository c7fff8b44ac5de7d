// What every benchmark server shares: which scenario to mount, and how to tell run.mjs its port.

/** The scenario this process mounts (run.mjs sets BENCH_SCENARIO). */
export function scenarioName() {
  const name = process.env.BENCH_SCENARIO ?? 'hello';
  if (!/^[a-z0-9-]+$/.test(name)) throw new Error(`Bad BENCH_SCENARIO: ${name}`);
  return name;
}

/** Listens on 127.0.0.1 and an ephemeral port, then prints `listening <port>` for run.mjs. */
export function listenAndAnnounce(listen) {
  listen(0, '127.0.0.1', (port) => console.log(`listening ${port}`));
}
