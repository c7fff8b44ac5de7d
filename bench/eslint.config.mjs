// The root ESLint config, for the benchmarks: run from bench/ (`npm run bench:check` at the root),
// so its ignores apply to bench/dist and bench/node_modules and type information comes from
// bench/tsconfig.json, with the peers installed in bench/node_modules.
import root from '../eslint.config.mjs';

export default [
  ...root.filter((entry) => !entry.ignores?.includes('bench/**')),
  { ignores: ['dist/**', 'node_modules/**', '.results/**'] },
  {
    languageOptions: { parserOptions: { tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Benchmark servers call peers' decorators by hand; some are typed as returning `Function`.
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
    },
  },
  {
    files: ['eslint.config.mjs'],
    rules: { 'no-restricted-syntax': 'off' },
  },
];
