import { z } from 'zod';
import { additiveVendorWrite, defineTool, readOnlyVendorTool, type ToolRunContext } from '../connector';

export const NotionSearchResult = z.object({
  id: z.string(),
  object: z.string(),
  title: z.string(),
  url: z.string().nullable(),
  lastEditedAt: z.string().nullable(),
});
export type NotionSearchResult = z.infer<typeof NotionSearchResult>;

export const CreatePageInput = z.object({
  parentPageId: z.string().min(1).optional().describe("Defaults to the integration's configured parent page"),
  title: z.string().min(1).max(200),
  content: z.string().max(20_000).default('').describe('Plain text; blank lines separate paragraphs'),
});
export type CreatePageInput = z.infer<typeof CreatePageInput>;

export const CreatedPage = z.object({
  id: z.string(),
  url: z.string().nullable(),
  title: z.string(),
  sandbox: z.boolean(),
  duplicate: z.boolean(),
});
export type CreatedPage = z.infer<typeof CreatedPage>;

export interface NotionBackend {
  search(query: { query: string; limit: number }): Promise<NotionSearchResult[]>;
  createPage(input: CreatePageInput, context: ToolRunContext): Promise<CreatedPage>;
}

/** Splits text into Notion paragraph-sized chunks (the API caps rich text at 2000 characters). */
export function splitParagraphs(content: string): string[] {
  return content
    .split(/\n\s*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '')
    .flatMap((paragraph) => paragraph.match(/[\s\S]{1,2000}/g) ?? []);
}

export const notionTools = [
  defineTool({
    name: 'search',
    title: 'Search pages',
    description: 'Searches pages and databases shared with the integration by title.',
    inputSchema: z.object({ query: z.string().max(200).default(''), limit: z.number().int().min(1).max(50).default(10) }),
    outputSchema: z.object({ results: z.array(NotionSearchResult) }),
    annotations: readOnlyVendorTool,
    run: async (backend: NotionBackend, input) => ({ results: await backend.search(input) }),
  }),
  defineTool({
    name: 'create_page',
    title: 'Create a page',
    description: 'Creates a page (e.g. an incident write-up) under a parent page.',
    inputSchema: CreatePageInput,
    outputSchema: CreatedPage,
    annotations: additiveVendorWrite,
    run: (backend: NotionBackend, input, context) => backend.createPage(input, context),
  }),
];
