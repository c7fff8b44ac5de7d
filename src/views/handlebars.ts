import type HandlebarsModule from 'handlebars';

let loaded: typeof HandlebarsModule | undefined;

/**
 * Handlebars, loaded on first use: its compiler costs ~40 ms and ~9 MiB at startup, which an API
 * that renders no template should not pay. Every template path (compile, render, the helpers'
 * SafeString) goes through here.
 */
export function handlebars(): typeof HandlebarsModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded on first use on purpose
  loaded ??= require('handlebars') as typeof HandlebarsModule;
  return loaded;
}

/** Marks text as already-escaped HTML for a template (Handlebars' SafeString). */
export function safeString(html: string): HandlebarsModule.SafeString {
  return new (handlebars().SafeString)(html);
}
