import { readString, toIso } from '../connector';
import type { SandboxDataPort } from '../../sandbox-port';
import type { NotionBackend } from './tools';

/** Notion in the sandbox: pages are the ones created into the outbox, and search finds them. */
export function createNotionSandboxBackend(workspaceId: string, sandbox: SandboxDataPort): NotionBackend {
  return {
    async search(query) {
      const entries = await sandbox.listOutbox(workspaceId, { connector: 'notion', action: 'create_page', limit: 500 });
      const needle = query.query.toLowerCase();
      return entries
        .filter((entry) => readString(entry.payload.title).toLowerCase().includes(needle))
        .slice(0, query.limit)
        .map((entry) => ({
          id: `sandbox-page-${entry.id}`,
          object: 'page',
          title: readString(entry.payload.title),
          url: null,
          lastEditedAt: toIso(entry.createdAt),
        }));
    },
    async createPage(input, context) {
      const { entry, duplicate } = await sandbox.writeOutbox({
        workspaceId,
        connector: 'notion',
        action: 'create_page',
        payload: { parentPageId: input.parentPageId ?? null, title: input.title, content: input.content },
        idempotencyKey: context.idempotencyKey,
      });
      return { id: `sandbox-page-${entry.id}`, url: null, title: readString(entry.payload.title, input.title), sandbox: true, duplicate };
    },
  };
}
