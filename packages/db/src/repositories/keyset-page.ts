/**
 * Where a page starts: the (createdAt, id) of the last row of the previous
 * page. Paging by these values rather than by "the row with this id" keeps
 * working when that row is deleted between two pages, and the id breaks ties
 * between rows created in the same millisecond.
 */
export interface PageAfter {
  createdAt: Date;
  id: string;
}

export type PageDirection = 'asc' | 'desc';

/** The `where` part that keeps only rows after `after` in (createdAt, id) order. */
export function rowsAfter(after: PageAfter | undefined, direction: PageDirection) {
  if (!after) return {};
  if (direction === 'asc') {
    return { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] };
  }
  return { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] };
}

/** The matching `orderBy`: createdAt, then id, so ties are ordered too. */
export function pageOrder(direction: PageDirection) {
  return [{ createdAt: direction }, { id: direction }];
}

/** What every list takes: how many rows (callers ask one more to learn whether a next page exists) and where to start. */
export interface PageRequest {
  limit: number;
  after?: PageAfter | undefined;
}
