import type { ViewEngine } from '../views/engine';
import { getFlashedMessages } from './flash';

interface BlockOptions {
  fn?: (context: unknown) => string;
  inverse?: (context: unknown) => string;
}

/**
 * Gives templates the real `flashes` (Flask's `get_flashed_messages()`):
 * `{{#flashes}}<p class="{{category}}">{{message}}</p>{{/flashes}}` consumes the messages;
 * as a subexpression `(flashes)` gives the plain list.
 */
export function registerFlashesHelper(views: ViewEngine): void {
  views.registerHelper('flashes', function (this: unknown, ...args: unknown[]) {
    const options = args[args.length - 1] as BlockOptions;
    const messages = getFlashedMessages({ withCategories: true });
    if (!options.fn) return messages.map(([, message]) => message);
    if (messages.length === 0) return options.inverse?.(this) ?? '';
    const render = options.fn;
    return messages.map(([category, message]) => render({ category, message })).join('');
  });
}
