import { safeString } from '../views/handlebars';
import type { ViewEngine } from '../views/engine';
import { getFlashedMessages } from '../sessions/flash';
import { csrfField, csrfToken } from './csrf';
import { currentUser } from './login';

interface BlockOptions {
  fn?: (context: unknown) => string;
  inverse?: (context: unknown) => string;
}

/**
 * Gives templates the real `csrfToken`, `csrfField`, `flashes` and `currentUser` (Flask-WTF's
 * `csrf_token()`, Flask's `get_flashed_messages()` and Flask-Login's `current_user`).
 *
 * `{{#flashes}}<p class="{{category}}">{{message}}</p>{{/flashes}}` consumes the messages;
 * as a subexpression `(flashes)` gives the plain list.
 */
export function registerSecurityHelpers(views: ViewEngine): void {
  views.registerHelper('csrfToken', () => csrfToken());
  views.registerHelper('csrfField', () => safeString(csrfField()));
  views.registerHelper('flashes', function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as BlockOptions;
    const messages = getFlashedMessages({ withCategories: true });
    if (!options.fn) return messages.map(([, message]) => message);
    if (messages.length === 0) return options.inverse?.(this) ?? '';
    const render = options.fn;
    return messages.map(([category, message]) => render({ category, message })).join('');
  });
  views.addContextProcessor(() => ({ currentUser: currentUser() }));
}
