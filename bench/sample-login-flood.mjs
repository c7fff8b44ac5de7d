// Static file latency of the running sample app, idle and while `logins` clients post failed
// logins back to back (each a real argon2id verification: random usernames, so the failed-login
// limit never short-cuts them). Start the sample first, e.g.
//
//   NODE_ENV=production SECRET_KEY=… PORT=3000 DATABASE=/tmp/flood.sqlite npm run sample
//   node bench/sample-login-flood.mjs http://127.0.0.1:3000 [logins=40] [seconds=8]
//
// Loopback only; every phase ends by time.
const [base, loginsArg = '40', secondsArg = '8'] = process.argv.slice(2);
const logins = Number(loginsArg);
const seconds = Number(secondsArg);

function stats(name, samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))].toFixed(1);
  console.log(
    `${name}: n=${sorted.length} median ${at(0.5)} ms p95 ${at(0.95)} ms max ${at(1)} ms`,
  );
}

async function timeStatic(until) {
  const samples = [];
  while (performance.now() < until) {
    const started = performance.now();
    const res = await fetch(`${base}/static/style.css`);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`static ${res.status}`);
    samples.push(performance.now() - started);
  }
  return samples;
}

async function loginLoop(until, statuses, durations) {
  while (performance.now() < until) {
    const page = await fetch(`${base}/auth/login`);
    const html = await page.text();
    const cookie = page.headers
      .getSetCookie()
      .map((line) => line.split(';')[0])
      .join('; ');
    const token = /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
    const started = performance.now();
    const res = await fetch(`${base}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({
        username: `u${Math.random()}`,
        password: 'guess',
        csrf_token: token,
      }),
      redirect: 'manual',
    });
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    durations.push(performance.now() - started);
  }
}

stats('static, idle', await timeStatic(performance.now() + 3000));
const until = performance.now() + seconds * 1000;
const statuses = {};
const durations = [];
const flood = Array.from({ length: logins }, () => loginLoop(until, statuses, durations));
const underFlood = await timeStatic(until);
await Promise.all(flood);
stats(`static, ${logins} concurrent logins`, underFlood);
stats('logins', durations);
console.log('login statuses', JSON.stringify(statuses));
