import { isAbsolute, join, sep } from 'node:path';

const WINDOWS_DRIVE = /^[a-z]:/i;

/**
 * Joins an untrusted, already percent-decoded relative name onto a folder, or gives `undefined`
 * when the name could leave it or names a hidden file: NUL bytes, backslashes, absolute paths,
 * drive letters, `.`/`..`/empty segments and dotfiles are all refused. Symlinks are checked by the
 * caller with realpath, since only the file system knows where they lead.
 *
 * @example
 * safeJoin('/srv/static', 'css/app.css'); // '/srv/static/css/app.css'
 * safeJoin('/srv/static', '../etc/passwd'); // undefined
 */
export function safeJoin(folder: string, name: string): string | undefined {
  if (
    name === '' ||
    name.includes('\0') ||
    name.includes('\\') ||
    isAbsolute(name) ||
    WINDOWS_DRIVE.test(name)
  )
    return undefined;
  const segments = name.split('/');
  if (segments.some((segment) => segment === '' || segment.startsWith('.'))) return undefined;
  const joined = join(folder, ...segments);
  return joined.startsWith(folder.endsWith(sep) ? folder : folder + sep) ? joined : undefined;
}
