import { readString, toIso } from '../connector';
import type { SandboxDataPort } from '../../sandbox-port';
import type { LinearBackend } from './tools';

/** Linear in the sandbox: issues are the ones created into the outbox. */
export function createLinearSandboxBackend(workspaceId: string, sandbox: SandboxDataPort): LinearBackend {
  return {
    async listIssues(query) {
      const entries = await sandbox.listOutbox(workspaceId, { connector: 'linear', action: 'create_issue', limit: 500 });
      return entries
        .filter((entry) => !query.teamId || entry.payload.teamId === query.teamId)
        .filter(() => !query.state || query.state.toLowerCase() === 'todo')
        .slice(0, query.limit)
        .map((entry, index) => ({
          id: `sandbox-issue-${entry.id}`,
          identifier: `OPS-${entries.length - index}`,
          title: readString(entry.payload.title),
          state: 'Todo',
          priority: typeof entry.payload.priority === 'number' ? entry.payload.priority : null,
          url: null,
          createdAt: toIso(entry.createdAt),
        }));
    },
    async createIssue(input, context) {
      const { entry, duplicate } = await sandbox.writeOutbox({
        workspaceId,
        connector: 'linear',
        action: 'create_issue',
        payload: { teamId: input.teamId ?? null, title: input.title, description: input.description ?? null, priority: input.priority ?? null },
        idempotencyKey: context.idempotencyKey,
      });
      return { id: `sandbox-issue-${entry.id}`, identifier: null, title: readString(entry.payload.title, input.title), url: null, sandbox: true, duplicate };
    },
  };
}
