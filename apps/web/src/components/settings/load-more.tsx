'use client';

import { useEffect, useRef, useState } from 'react';

/** Rows per request in the Settings lists (the server allows 1 to 100). */
export const settingsPageSize = 50;

/** What LoadMore needs of a `useInfiniteQuery` result. */
interface PagedList {
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: { message: string } | null;
  fetchNextPage: () => Promise<unknown>;
}

/** Reads `nextCursor` for `useInfiniteQuery`: undefined ends the list. */
export const nextCursorOf = (page: { nextCursor: string | null }) => page.nextCursor ?? undefined;

/**
 * "Load more" under a paged list: appends the next page, says it is loading,
 * and disappears after the last page. Then the count line takes focus, so a
 * keyboard user whose button just vanished is not dropped at the page top.
 */
export function LoadMore({ list, shown, noun, testId }: { list: PagedList; shown: number; noun: string; testId: string }) {
  const statusRef = useRef<HTMLParagraphElement>(null);
  const [loadedMore, setLoadedMore] = useState(false);
  const ended = loadedMore && !list.hasNextPage;
  useEffect(() => {
    if (ended) statusRef.current?.focus();
  }, [ended]);
  function loadMore() {
    setLoadedMore(true);
    void list.fetchNextPage();
  }
  // A list that fits one page needs no button and no count.
  if (!list.hasNextPage && !loadedMore) return null;
  return (
    <div className="row" style={{ marginTop: 8 }}>
      {list.hasNextPage ? (
        <button type="button" className="button-secondary" onClick={loadMore} disabled={list.isFetchingNextPage} aria-busy={list.isFetchingNextPage} data-testid={testId}>
          {list.isFetchingNextPage ? `Loading more ${noun}…` : `Load more ${noun}`}
        </button>
      ) : null}
      <p ref={statusRef} tabIndex={-1} role="status" className="muted settings-status" data-testid={`${testId}-count`}>
        {list.hasNextPage ? `${shown} ${noun} shown` : ended ? `All ${shown} ${noun} shown` : ''}
      </p>
      {list.isFetchNextPageError && list.error ? <p role="alert" className="field-error">Could not load more {noun}: {list.error.message}</p> : null}
    </div>
  );
}
