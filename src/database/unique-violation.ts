/**
 * True when a statement broke a UNIQUE constraint (or a primary key), on either engine: the
 * portable way to turn "that name is taken" into a form error while the constraint, not a prior
 * SELECT, decides between racing requests.
 *
 * @example
 * try { await db.insertInto('users').values(user).execute(); }
 * catch (error) { if (isUniqueViolation(error)) return render('register', { error: 'Taken.' }); throw error; }
 */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  // 23505: PostgreSQL's unique_violation; SQLite reports a primary key separately.
  return (
    code === '23505' ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
