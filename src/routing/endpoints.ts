// Declared in the package's entry module, the one `declare module 'flagon'` augments: TypeScript
// merges an augmentation only into the module that declares the interface, not one re-exporting it.
import type { Endpoints } from '../index';
import type { UrlForOptions, UrlParams } from './url-for';

/** True while no declaration has filled `Endpoints` in. */
type IsUntyped = [keyof Endpoints] extends [never] ? true : false;

/** The endpoint names `urlFor` takes: any string in an untyped project. */
export type EndpointName = IsUntyped extends true ? string : Extract<keyof Endpoints, string>;

/** The parameters of an endpoint: its path variables (typed), plus any query parameters. */
export type EndpointParams<TEndpoint extends string> = TEndpoint extends keyof Endpoints
  ? Endpoints[TEndpoint] & UrlParams
  : UrlParams;

/**
 * `urlFor`'s arguments after the endpoint: params required when the endpoint's rule has
 * variables, optional otherwise (and always optional in an untyped project).
 */
export type UrlForArgs<TEndpoint extends string> = IsUntyped extends true
  ? [params?: UrlParams, options?: UrlForOptions]
  : TEndpoint extends keyof Endpoints
    ? object extends Endpoints[TEndpoint]
      ? [params?: EndpointParams<TEndpoint>, options?: UrlForOptions]
      : [params: EndpointParams<TEndpoint>, options?: UrlForOptions]
    : never;
