import { currentRequest } from '../context/request-context';
import type { UrlForOptions, UrlParams } from './url-for';

/**
 * Builds the URL of an endpoint during a request (Flask's `url_for`); outside one, use
 * `app.urlFor`. Unknown endpoints and missing params throw, naming the endpoint and its params.
 *
 * @example
 * return redirect(urlFor('blog.PostController.show', { id: post.id }));
 */
export function urlFor(endpoint: string, params?: UrlParams, options?: UrlForOptions): string {
  return currentRequest().urlFor(endpoint, params, options);
}
