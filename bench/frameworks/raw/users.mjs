export function routes(method, path, query) {
  if (method !== 'GET' || !path.startsWith('/users/')) return undefined;
  const id = path.slice('/users/'.length);
  if (id === '' || id.includes('/')) return undefined;
  return {
    id: decodeURIComponent(id),
    fields: new URLSearchParams(query).get('fields') ?? undefined,
  };
}
