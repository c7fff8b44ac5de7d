import { ROUTE_COUNT } from '../../scenarios.mjs';

// A hand-written table: static paths in a Map, parametric `/r/<name>/<id>` by their first segment.
const statics = new Map();
const parametric = new Map();
for (let i = 0; i < ROUTE_COUNT; i++) {
  statics.set(`/static/r${i}`, { route: `s${i}` });
  parametric.set(`p${i}`, `p${i}`);
}

export function routes(method, path) {
  if (method !== 'GET') return undefined;
  const hit = statics.get(path);
  if (hit !== undefined) return hit;
  if (!path.startsWith('/r/')) return undefined;
  const slash = path.indexOf('/', 3);
  if (slash === -1) return undefined;
  const route = parametric.get(path.slice(3, slash));
  const id = path.slice(slash + 1);
  if (route === undefined || id === '' || id.includes('/')) return undefined;
  return { route, id: decodeURIComponent(id) };
}
