import { currentRequest } from '../context/request-context';
import type { EndpointName, UrlForArgs } from './endpoints';

/**
 * Builds the URL of an endpoint during a request (Flask's `url_for`); outside one, use
 * `app.urlFor`. Unknown endpoints and missing params throw, naming the endpoint and its params;
 * with the declaration `flagon routes --types` writes, the compiler catches them first.
 *
 * @example
 * return redirect(urlFor('blog.PostController.show', { id: post.id }));
 */
export function urlFor<TEndpoint extends EndpointName>(
  endpoint: TEndpoint,
  ...[params, options]: UrlForArgs<TEndpoint>
): string {
  return currentRequest().urlFor(endpoint, params, options);
}
