// The layering of src/ (docs/design.md): with type-only imports left out (tsc erases them), no
// file imports a file that imports it back, and no folder a folder that imports it back.
// `npm run lint:layers` checks it; `npm test` runs that.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-file-cycle',
      comment: 'A file must not import (through any chain) a file that imports it.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'A folder must not import (through any chain) a folder that imports it.',
      severity: 'error',
      scope: 'folder',
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    includeOnly: '^src/',
    // What tsc emits: `import type` and imports used only as types are left out.
    tsPreCompilationDeps: false,
    tsConfig: { fileName: 'tsconfig.build.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
