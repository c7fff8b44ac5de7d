import type { ServerResponse } from 'node:http';
import type { Logger } from '../config/logger';
import type { FlagonError } from '../errors/flagon-error';
import type { Request } from '../http/request';
import type { Response } from '../http/response';
import type { FlatHeaders } from '../http/result';

/** What every route's pipeline shares, built once by the app. */
export interface PipelineShared {
  readonly logger: Logger;
  /** Headers every response carries unless it sets them itself. */
  readonly defaultHeaders: FlatHeaders;
  /** The response for an error no handler took (the error page). */
  readonly renderError: (error: FlagonError, req: Request) => Response | Promise<Response>;
  /** Called once a response is written (the request log, graceful shutdown). */
  readonly onSent: (req: Request, res: ServerResponse) => void;
  /** The app's REQUEST_TIMEOUT in ms (0: none), for routes without `@Timeout`. */
  readonly requestTimeout: number;
  /** PROPAGATE_EXCEPTIONS: hand unhandled errors to the test client instead of a 500 page. */
  readonly propagateErrors: boolean;
}
