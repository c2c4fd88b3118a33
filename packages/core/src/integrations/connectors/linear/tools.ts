import { z } from 'zod';
import { additiveVendorWrite, defineTool, maxListLimit, readOnlyVendorTool, type ToolRunContext } from '../connector';

export const LinearIssue = z.object({
  id: z.string(),
  identifier: z.string().nullable(),
  title: z.string(),
  state: z.string().nullable(),
  priority: z.number().int().nullable(),
  url: z.string().nullable(),
  createdAt: z.string().nullable(),
});
export type LinearIssue = z.infer<typeof LinearIssue>;

export const CreateIssueInput = z.object({
  teamId: z.string().min(1).optional().describe("Defaults to the integration's configured team"),
  title: z.string().min(1).max(255),
  description: z.string().max(20_000).optional(),
  priority: z.number().int().min(0).max(4).optional().describe('0 none, 1 urgent, 2 high, 3 medium, 4 low'),
});
export type CreateIssueInput = z.infer<typeof CreateIssueInput>;

export const CreatedIssue = z.object({
  id: z.string(),
  identifier: z.string().nullable(),
  title: z.string(),
  url: z.string().nullable(),
  sandbox: z.boolean(),
  duplicate: z.boolean(),
});
export type CreatedIssue = z.infer<typeof CreatedIssue>;

export interface LinearBackend {
  listIssues(query: { limit: number; teamId?: string; state?: string }): Promise<LinearIssue[]>;
  createIssue(input: CreateIssueInput, context: ToolRunContext): Promise<CreatedIssue>;
}

export const linearTools = [
  defineTool({
    name: 'list_issues',
    title: 'List issues',
    description: 'Lists issues, newest first, optionally for one team or workflow state name.',
    inputSchema: z.object({
      limit: z.number().int().min(1).max(maxListLimit).default(25),
      teamId: z.string().optional(),
      state: z.string().optional().describe('Workflow state name, e.g. "In Progress"'),
    }),
    outputSchema: z.object({ issues: z.array(LinearIssue) }),
    annotations: readOnlyVendorTool,
    run: async (backend: LinearBackend, input) => ({ issues: await backend.listIssues(input) }),
  }),
  defineTool({
    name: 'create_issue',
    title: 'Create an issue',
    description: 'Creates an issue in a team. Pass an idempotency key so a retried action creates one issue.',
    inputSchema: CreateIssueInput,
    outputSchema: CreatedIssue,
    annotations: additiveVendorWrite,
    run: (backend: LinearBackend, input, context) => backend.createIssue(input, context),
  }),
];
