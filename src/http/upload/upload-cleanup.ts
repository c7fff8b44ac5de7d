import type { RouteFeature } from '../../app/pipeline';
import type { Config } from '../../app/config';
import type { Request } from '../request';
import { getBodyPlan, readsBody } from '../body/body-plan';
import { parseBody } from '../body/parse-body';

/** The fields of the request's parsed form body (shared with the handler's own parse). */
export type FormReader = () => Promise<Readonly<Record<string, unknown>>>;

/**
 * Offers `req.form()` before the handler (a synchronous step: the route keeps the kernel's fast
 * path). The request's temporary upload files are removed by the multipart parser's own
 * `onBeforeSend` step once the handler has run, whether it returned or threw.
 *
 * @example
 * installUploadCleanup(app); // once, in the FlagonApp constructor
 */
export function installUploadCleanup(app: { readonly config: Config; addFeature(feature: RouteFeature): void }): void {
  app.addFeature({
    name: 'upload-cleanup',
    prepare(route) {
      if (route === undefined || !readsBody(route.controller, route.methodName)) return undefined;
      const plan = getBodyPlan(app.config, route.controller, route.methodName);
      return {
        // Lets steps that run before the handler (CSRF reading `csrf_token` from a multipart form)
        // use the route's limits and the same single parse the handler's parameters get.
        before: (req: Request) => {
          (req as Request & { form?: FormReader }).form = () =>
            parseBody(req, plan).then((body) => (body.kind === 'form' ? body.fields : {}));
          return undefined;
        },
      };
    },
  });
}
