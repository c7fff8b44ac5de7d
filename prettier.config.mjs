// Prettier settings (CONTRIBUTING.md, "TypeScript, lint, format"): width 100, single quotes.
/** @type {import('prettier').Config} */
export default {
  printWidth: 100,
  singleQuote: true,
  trailingComma: 'all',
  semi: true,
};
