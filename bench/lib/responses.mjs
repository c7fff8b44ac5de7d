// What a bench client asks a server and how it checks the answer: shared by run.mjs (req/s) and
// instructions.mjs (instructions per request), so both measure the same requests.
import { request } from 'node:http';
import { isDeepStrictEqual } from 'node:util';

/** One request as the scenario describes it (method, headers, body), plus an optional cookie. */
export function send(port, scenario, cookie) {
  const { method, path, headers = {}, body } = scenario.request;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        method,
        agent: false,
        headers: { ...headers, ...(cookie ? { cookie } : {}) },
      },
      (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a Cookie header. */
export function cookieOf(response) {
  const cookies = [response.headers['set-cookie'] ?? []].flat();
  return cookies.map((line) => line.split(';')[0]).join('; ');
}

export function isExpected(response, scenario) {
  const { expected } = scenario;
  if (response.status !== expected.status) return false;
  if (expected.setsCookie && cookieOf(response) === '') return false;
  if (expected.contains && !expected.contains.every((part) => response.text.includes(part)))
    return false;
  if (expected.json === undefined) return true;
  try {
    return isDeepStrictEqual(JSON.parse(response.text), expected.json);
  } catch {
    return false;
  }
}

/**
 * The first correct response, and the headers the load must send. A session scenario first gets
 * a cookie, then checks that a request carrying it reads and rewrites the session.
 */
export async function firstResponse(port, scenario) {
  if (!scenario.session)
    return { response: await send(port, scenario), headers: scenario.request.headers };
  const first = await send(port, scenario);
  const cookie = cookieOf(first);
  if (first.status !== 200 || cookie === '') return { response: first, headers: undefined };
  return {
    response: await send(port, scenario, cookie),
    headers: { ...scenario.request.headers, cookie },
  };
}
