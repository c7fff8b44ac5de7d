import { RouteMetadata, type ClassOrMethodDecorator } from '../modules/route-metadata';

/** The RouteMetadata key `@Transactional()` records under, read by DatabaseModule's `onRoute`. */
export const TRANSACTIONAL = Symbol('flagon:database-transactional');

/**
 * Runs the handler (or every handler of the controller) inside one database transaction: every
 * query made through the injected `DATABASE` during the request joins it, services included. It
 * commits before a success (1xx–3xx) is sent and rolls back on a thrown error or a 4xx/5xx
 * response. The transaction begins with the request's first query, so a request that fails
 * before reaching the database holds no connection. Needs `DatabaseModule` in the app.
 *
 * @example
 * @Transactional()
 * @Post('/posts')
 * async create(@Body() input: CreatePostDto) { return this.posts.create(input); }
 */
export function Transactional(): ClassOrMethodDecorator {
  return RouteMetadata(TRANSACTIONAL, true);
}
