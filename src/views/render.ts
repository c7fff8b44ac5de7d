import { currentRequest } from '../context/request-context';
import { FlagonError } from '../errors/flagon-error';
import { Response } from '../http/response';
import { viewEngineOf } from './install';

/**
 * Renders a template during a request (Flask's `render_template`) and returns the HTML string;
 * a handler returning it sends `text/html`. Wrap it in `new Response(html, { status })` for
 * another status. Context processors and globals are merged under `context`.
 *
 * @example
 * @Get('/') index() { return render('blog/index.hbs', { posts: this.posts.all() }); }
 */
export function render(name: string, context: object = {}): string {
  const app = currentRequest().app;
  if (!app)
    throw new FlagonError(
      'FLAGON_CONTEXT_OUTSIDE_REQUEST',
      'render() needs a request handled by a Flagon app',
    );
  return viewEngineOf(app).render(name, context);
}

/**
 * Renders the handler's returned object (or promised object) with a template; a returned Response
 * or string passes through untouched (a redirect, an early error page), `undefined` renders with an
 * empty context.
 *
 * @example
 * @Get('/') @Render('blog/index.hbs') index() { return { posts: this.posts.all() }; }
 */
export function Render(name: string): MethodDecorator {
  return (_target, _propertyKey, descriptor) => {
    const original = descriptor.value as unknown;
    if (typeof original !== 'function') return;
    const renderResult = (value: unknown): unknown =>
      value instanceof Response || typeof value === 'string'
        ? value
        : render(name, typeof value === 'object' && value !== null ? value : {});
    const wrapped = function (this: unknown, ...args: unknown[]): unknown {
      const result: unknown = (original as (...params: unknown[]) => unknown).apply(this, args);
      return result instanceof Promise ? result.then(renderResult) : renderResult(result);
    };
    // The handler plan counts parameters with `length`; keep the original's.
    Object.defineProperty(wrapped, 'length', {
      value: (original as (...params: unknown[]) => unknown).length,
    });
    (descriptor as PropertyDescriptor).value = wrapped;
  };
}
