/**
 * Cursor paging: the cursor is part of the URL, so a page is a link; the API's cursors only go
 * forward, and the browser's Back goes to the previous page.
 */
import { useLocation } from 'preact-iso';
import { toQueryString } from '../lib/query.ts';

export function Pager({ basePath, nextCursor, shown }: { basePath: string; nextCursor: string | null | undefined; shown: number }) {
  const { query } = useLocation();
  const onLaterPage = (query['cursor'] ?? '') !== '';
  const withCursor = (cursor: string | undefined) => `${basePath}${toQueryString({ ...query, cursor })}`;
  return (
    <nav class="pager" aria-label="Pages">
      <span class="muted" role="status">
        {shown} shown{onLaterPage ? ' (a later page)' : ''}
      </span>
      {onLaterPage && (
        <a class="button" href={withCursor(undefined)}>
          First page
        </a>
      )}
      {nextCursor ? (
        <a class="button" href={withCursor(nextCursor)} rel="next" data-testid="next-page">
          Next page →
        </a>
      ) : (
        <span class="muted">Last page</span>
      )}
    </nav>
  );
}
