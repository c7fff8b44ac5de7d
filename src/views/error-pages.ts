import type { Logger } from '../config/logger';
import { defaultErrorResponse, prefersHtml, publicError } from '../http/error-page';
import type { FlagonError } from '../errors/flagon-error';
import type { Request } from '../http/request';
import type { Response } from '../http/response';
import type { ViewEngine } from './engine';

/**
 * The default error response with its HTML body rendered from `errors/<status>.hbs` or
 * `errors/default.hbs` (the app's own first, Flagon's built-in last). JSON clients get the kernel's
 * JSON body unchanged. 5xx messages stay generic and stacks stay out unless DEBUG; if the template
 * itself fails, the kernel's minimal page is sent and the failure logged.
 */
export function renderErrorPage(
  engine: ViewEngine,
  error: FlagonError,
  req: Request,
  isDebug: boolean,
  logger: Logger,
): Response {
  const response = defaultErrorResponse(error, req, isDebug);
  if (!prefersHtml(req)) return response;
  const { status, slug, message, trace } = publicError(error, isDebug);
  const context = { status, error: slug, message, stack: trace };
  try {
    const name = engine.has(`errors/${status}.hbs`) ? `errors/${status}.hbs` : 'errors/default.hbs';
    response.body = engine.render(name, context);
  } catch (renderError) {
    logger.error({ err: renderError, reqId: req.id }, 'error page template failed');
  }
  return response;
}
