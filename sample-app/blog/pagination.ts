import { NotFound, safeHtml, type SafeHtml } from 'flagon';

/** One link of the index page's page list. */
export interface PageLink {
  readonly number: number;
  readonly href: SafeHtml;
  readonly isCurrent: boolean;
}

/** What the index template shows under the posts; absent when everything fits on one page. */
export interface Pagination {
  readonly newer: SafeHtml | undefined;
  readonly older: SafeHtml | undefined;
  readonly pages: readonly PageLink[];
  /** A gap in the page list before / after the current page's neighbours. */
  readonly isGapBefore: boolean;
  readonly isGapAfter: boolean;
}

/** Pages shown on each side of the current one; the first and last are always shown. */
const NEIGHBOURS = 2;

/**
 * `?page=N` as a page number: absent is the first page; anything but a plain positive integer
 * is a 404, as Flask-SQLAlchemy's `paginate()` answers.
 */
export function parsePage(value: string | undefined): number {
  if (value === undefined) return 1;
  if (!/^[1-9][0-9]{0,8}$/.test(value)) throw new NotFound(`There is no page "${value}".`);
  return Number(value);
}

/** The page's URL; built from a number only, so it is printed as it is (`{{ }}` would write `=` as `&#x3D;`). */
export function pageHref(page: number): SafeHtml {
  return safeHtml(page === 1 ? '/' : `/?page=${page}`);
}

/** Links to the other pages: newer, older, and the numbers around the current page. */
export function paginate(current: number, pageCount: number): Pagination | undefined {
  if (pageCount <= 1) return undefined;
  const first = Math.max(2, current - NEIGHBOURS);
  const last = Math.min(pageCount - 1, current + NEIGHBOURS);
  const numbers = [1];
  for (let page = first; page <= last; page++) numbers.push(page);
  numbers.push(pageCount);
  return {
    newer: current > 1 ? pageHref(current - 1) : undefined,
    older: current < pageCount ? pageHref(current + 1) : undefined,
    pages: numbers.map((number) => ({
      number,
      href: pageHref(number),
      isCurrent: number === current,
    })),
    isGapBefore: first > 2,
    isGapAfter: last < pageCount - 1,
  };
}
