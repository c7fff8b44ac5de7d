import type HandlebarsModule from 'handlebars';
import { lazyRequire } from '../util/lazy-require';

/**
 * Handlebars, loaded on first use: its compiler adds startup time and memory, which an API that
 * renders no template should not pay. Every template path (compile, render, the helpers'
 * SafeString) goes through here.
 */
export const handlebars = lazyRequire<typeof HandlebarsModule>('handlebars', 'Rendering templates');

/** Marks text as already-escaped HTML for a template (Handlebars' SafeString). */
export function safeString(html: string): HandlebarsModule.SafeString {
  return new (handlebars().SafeString)(html);
}
