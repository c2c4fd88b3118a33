import { z } from 'zod';
import { AppError } from '@opspilot/core/errors';
import type { PageAfter } from '@opspilot/db';
import { maximumPageSize } from '../procedures';

/**
 * `limit` + `cursor` for lists that answer `{ items, nextCursor }`: the
 * cursor is the previous page's `nextCursor`, never built by the caller.
 */
export const CursorPageInput = z.object({
  limit: z.coerce.number().int().min(1).max(maximumPageSize).default(50),
  /** `nextCursor` of the previous page; leave it out for the first page. */
  cursor: z.string().min(1).max(200).optional(),
});
export type CursorPageInput = z.infer<typeof CursorPageInput>;

/** `{ items, nextCursor }`: `nextCursor` is null on the last page. */
export function pageOutputOf<Item extends z.ZodType>(item: Item) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const idPattern = /^[A-Za-z0-9_-]{1,100}$/;

/** `<createdAt ISO>|<id>` of a page's last row (the Settings lists and the audit log). */
export function encodePageCursor(after: PageAfter): string {
  return `${after.createdAt.toISOString()}|${after.id}`;
}

/**
 * The position a cursor names. Anything that is not a cursor a list returned
 * is a 400 naming the `cursor` field (a bad cursor must not read as "no more
 * rows", nor as a server error).
 */
export function decodePageCursor(cursor: string | undefined): PageAfter | undefined {
  if (cursor === undefined) return undefined;
  const separator = cursor.indexOf('|');
  const instant = cursor.slice(0, separator);
  const id = cursor.slice(separator + 1);
  const createdAt = new Date(instant);
  if (separator < 0 || !instantPattern.test(instant) || Number.isNaN(createdAt.getTime()) || !idPattern.test(id)) {
    const message = 'Not a cursor this list returned: pass the nextCursor of the previous page, or leave cursor out for the first page.';
    throw new AppError('BAD_REQUEST', `Invalid cursor. ${message}`, { issues: [{ path: 'cursor', message }] });
  }
  return { createdAt, id };
}

/**
 * One page from `limit + 1` rows read: the extra row only says that a next
 * page exists, so the last page never costs an empty request.
 */
export function toPage<Row, Item>(rows: Row[], options: { limit: number; positionOf: (row: Row) => PageAfter; toItem: (row: Row) => Item }) {
  const page = rows.slice(0, options.limit);
  const last = page.at(-1);
  return {
    items: page.map(options.toItem),
    nextCursor: rows.length > options.limit && last !== undefined ? encodePageCursor(options.positionOf(last)) : null,
  };
}
