import { FlagonApp } from '../app/flagon-app';
import type { Constructor } from '../di/tokens';
import { Inject } from '../di/tokens';
import type { OnRoute, RouteSetup } from '../modules/extension';
import { Module } from '../modules/module';
import type { RouteInfo } from '../modules/route-info';
import { prepareGuards, type Guard } from './guards';

/**
 * Guards, a built-in extension (NestJS's guards; Flask-Login's `login_required`): a route with
 * `@UseGuards`, `@LoginRequired()` or `@Roles()` runs its guards before the handler; other routes
 * get no step.
 */
@Module()
export class GuardsModule implements OnRoute {
  constructor(@Inject(FlagonApp) private readonly app: FlagonApp) {}

  onRoute(route: RouteInfo): RouteSetup | undefined {
    const check = prepareGuards(route, (guard) => this.instantiate(guard));
    return check === undefined ? undefined : { before: check };
  }

  /** A guard class is taken from the app's container when it can be, else constructed. */
  private instantiate(guard: Constructor<Guard>): Guard {
    try {
      return this.app.resolve(guard);
    } catch {
      return new guard();
    }
  }
}
