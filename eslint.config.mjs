// ESLint flat config: typescript-eslint's strict type-checked presets over src, test and sample-app;
// bench/eslint.config.mjs extends it for the benchmarks (a package of their own, checked with
// their dependencies by `npm run bench:check`). Formatting is Prettier's job (prettier.config.mjs).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noDefaultExport = {
  selector: 'ExportDefaultDeclaration',
  message:
    'Use named exports (CONTRIBUTING.md, "Naming"); default exports are only for tool config files.',
};

export default tseslint.config(
  // templates/scaffold is a separate project (own tsconfig, jest.config default export); bin/ is
  // the plain-JS launcher; bench/ has its own config.
  {
    ignores: [
      'bench/**',
      'dist/**',
      'coverage/**',
      'test-artifacts/**',
      'node_modules/**',
      'sample-app/instance/**',
      // Written by `flagon routes --types`, compared byte for byte by its test.
      'sample-app/endpoints.d.ts',
      'templates/**',
      'bin/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        // Lets consistent-type-imports leave decorated files alone: there a type-only import of an
        // injected class would erase its design:paramtypes metadata.
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', noDefaultExport],
      // Decorators and DI need classes that only hold metadata (`@Module({...}) class AppModule {}`).
      '@typescript-eslint/no-extraneous-class': 'off',
      // Template literals with numbers are everywhere in messages and URLs; booleans/undefined stay errors.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      // `void promise` is the documented way to fire and forget (a listener, a server callback).
      '@typescript-eslint/no-confusing-void-expression': [
        'error',
        { ignoreVoidOperator: true, ignoreArrowShorthand: true },
      ],
      // Return-type parameters are a deliberate convenience of the API: `res.json<TBody>()`, `config.get<TValue>(key)`.
      '@typescript-eslint/no-unnecessary-type-parameters': 'off',
      // Hooks "return a Response or nothing": `Response | void` says so, as Express's and Fastify's typings do.
      '@typescript-eslint/no-invalid-void-type': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // Plain JavaScript (scripts, benchmark servers, config files): no type information to check against.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: {
      globals: Object.fromEntries(
        [
          'process',
          'console',
          'Buffer',
          'URL',
          'URLSearchParams',
          'fetch',
          'performance',
          'setTimeout',
          'clearTimeout',
          'setImmediate',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    // CommonJS config files (dependency-cruiser's) export through `module`.
    files: ['**/*.cjs'],
    languageOptions: { globals: { module: 'writable', require: 'readonly' } },
  },
  {
    // Tests may use non-null assertions and unbound method references in expect(...) calls.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Tool config files must default-export their config.
    files: ['eslint.config.mjs', 'prettier.config.mjs', 'jest.config.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
