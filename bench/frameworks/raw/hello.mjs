export function routes(method, path) {
  if (method === 'GET' && path === '/hello') return { hello: 'world' };
  return undefined;
}
