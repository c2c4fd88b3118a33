import { Client } from '@notionhq/client';
import { z } from 'zod';
import type { GuardedFetch } from '../../guarded-fetch';
import { readString, toIso } from '../connector';
import type { NotionBackend, NotionSearchResult } from './tools';
import { splitParagraphs } from './tools';

export const NotionCredentials = z.object({ token: z.string().min(8) });
export type NotionCredentials = z.infer<typeof NotionCredentials>;

export const NotionConfig = z.object({
  /** Overrides https://api.notion.com, e.g. a local fake in tests. */
  baseUrl: z.url().optional(),
  defaultParentPageId: z.string().optional(),
});
export type NotionConfig = z.infer<typeof NotionConfig>;

type UnknownRecord = Record<string, unknown>;

function readTitle(result: UnknownRecord): string {
  const collectText = (items: unknown): string =>
    Array.isArray(items) ? items.map((item) => readString((item as UnknownRecord).plain_text)).join('') : '';
  if (Array.isArray(result.title)) return collectText(result.title);
  const properties = (result.properties ?? {}) as Record<string, UnknownRecord>;
  const titleProperty = Object.values(properties).find((property) => property.type === 'title');
  return titleProperty ? collectText(titleProperty.title) : '';
}

function describeResult(result: UnknownRecord): NotionSearchResult {
  return {
    id: String(result.id),
    object: String(result.object),
    title: readTitle(result),
    url: typeof result.url === 'string' ? result.url : null,
    lastEditedAt: typeof result.last_edited_time === 'string' ? toIso(result.last_edited_time) : null,
  };
}

/** Notion through @notionhq/client with the workspace's integration token. */
export function createNotionLiveBackend(credentials: NotionCredentials, config: NotionConfig, fetchThrough?: GuardedFetch): NotionBackend {
  const client = new Client({
    auth: credentials.token,
    timeoutMs: 20_000,
    ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
    ...(fetchThrough ? { fetch: fetchThrough } : {}),
  });
  return {
    async search(query) {
      const response = await client.search({ query: query.query, page_size: query.limit });
      return response.results.map((result) => describeResult(result as unknown as UnknownRecord));
    },
    async createPage(input) {
      const parentPageId = input.parentPageId ?? config.defaultParentPageId;
      if (!parentPageId) throw new Error('No parentPageId given and no default parent page configured');
      const page = await client.pages.create({
        parent: { page_id: parentPageId },
        properties: { title: { title: [{ text: { content: input.title } }] } },
        children: splitParagraphs(input.content).map((text) => ({
          object: 'block' as const,
          type: 'paragraph' as const,
          paragraph: { rich_text: [{ type: 'text' as const, text: { content: text } }] },
        })),
      });
      const url = (page as unknown as UnknownRecord).url;
      return { id: page.id, url: typeof url === 'string' ? url : null, title: input.title, sandbox: false, duplicate: false };
    },
  };
}
