/** The file `flagon db new NAME` writes: `<UTC timestamp>_<name>.ts`, so files sort in creation order. */
export function migrationFileName(name: string, now: Date, extension: 'ts' | 'js'): string {
  const stamp = now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${stamp}_${name}.${extension}`;
}

/** A migration's two steps, with the engine-neutral Kysely schema builder as the example. */
export function migrationTemplate(extension: 'ts' | 'js'): string {
  if (extension === 'js')
    return `// Applied by \`flagon db migrate\`, undone by \`flagon db rollback\`; see docs/database.md.

/** @param {import('kysely').Kysely<unknown>} db */
exports.up = async function up(db) {
  await db.schema
    .createTable('example')
    .addColumn('name', 'varchar(100)', (column) => column.primaryKey())
    .execute();
};

/** @param {import('kysely').Kysely<unknown>} db */
exports.down = async function down(db) {
  await db.schema.dropTable('example').execute();
};
`;
  return `import type { Kysely } from 'kysely';

// Applied by \`flagon db migrate\`, undone by \`flagon db rollback\`; see docs/database.md.

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('example')
    .addColumn('name', 'varchar(100)', (column) => column.primaryKey())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('example').execute();
}
`;
}
