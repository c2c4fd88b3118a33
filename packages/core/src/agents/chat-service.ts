import { z } from 'zod';
import { AppError } from '../errors';
import { AgentKindName } from './events';
import { parseModelSpec } from './model-resolver';
import { loadWorkspaceAgents } from './orchestrator';
import type { AgentConfig, AgentDeps, ChatMessageRecord, ChatSessionRecord } from './ports';

export const CreateChatSessionInput = z.object({ title: z.string().trim().min(1).max(200).default('New chat') });
export type CreateChatSessionInput = z.input<typeof CreateChatSessionInput>;

export const SendChatMessageInput = z.object({ message: z.string().trim().min(1).max(8_000) });
export type SendChatMessageInput = z.infer<typeof SendChatMessageInput>;

/** The editable fields of an agent (all optional); `UpdateAgentInput` also requires at least one. */
export const UpdateAgentFields = z.object({
    instructions: z.string().trim().min(1).max(20_000).optional(),
    description: z.string().max(1_000).optional(),
    /** "<provider>:<model>", or null for the workspace default / built-in reasoner. */
    model: z.string().trim().max(200).nullable().optional(),
    allowedTools: z.array(z.string().regex(/^(\*|[a-z0-9][a-z0-9_-]*(__[A-Za-z0-9_-]*\*?|\*)?)$/, 'a tool name, `<connector>__*` or `*`')).max(200).optional(),
    enabled: z.boolean().optional(),
});

export const UpdateAgentInput = UpdateAgentFields.refine((value) => Object.values(value).some((field) => field !== undefined), { message: 'Nothing to update' });
export type UpdateAgentInput = z.infer<typeof UpdateAgentInput>;

export async function createChatSession(deps: Pick<AgentDeps, 'chats'>, input: { workspaceId: string; createdById: string | null } & CreateChatSessionInput): Promise<ChatSessionRecord> {
  const { title } = CreateChatSessionInput.parse(input);
  return deps.chats.createSession({ workspaceId: input.workspaceId, title, createdById: input.createdById });
}

/** Messages of a session, oldest first; NOT_FOUND for another workspace's session. */
export async function listChatMessages(deps: Pick<AgentDeps, 'chats'>, input: { workspaceId: string; sessionId: string; limit: number }): Promise<ChatMessageRecord[]> {
  const session = await deps.chats.findSession(input.workspaceId, input.sessionId);
  if (!session) throw new AppError('NOT_FOUND', `Chat session ${input.sessionId} not found`);
  return deps.chats.listMessages(input.workspaceId, input.sessionId, { limit: input.limit });
}

/** The session a stream reads, checked against the workspace. */
export async function requireChatSession(deps: Pick<AgentDeps, 'chats'>, workspaceId: string, sessionId: string): Promise<ChatSessionRecord> {
  const session = await deps.chats.findSession(workspaceId, sessionId);
  if (!session) throw new AppError('NOT_FOUND', `Chat session ${sessionId} not found`);
  return session;
}

export async function listAgents(deps: Pick<AgentDeps, 'agents'>, workspaceId: string): Promise<AgentConfig[]> {
  const agents = await loadWorkspaceAgents(deps, workspaceId);
  return [...agents].sort((a, b) => AgentKindName.options.indexOf(a.kind) - AgentKindName.options.indexOf(b.kind));
}

/** Changes an agent's instructions, model, tools or enabled flag; the model spec is checked before it is stored. */
export async function updateAgent(deps: Pick<AgentDeps, 'agents'>, input: { workspaceId: string; agentId: string; patch: UpdateAgentInput }): Promise<AgentConfig> {
  const patch = UpdateAgentInput.parse(input.patch);
  if (patch.model) parseModelSpec(patch.model);
  await loadWorkspaceAgents(deps, input.workspaceId);
  const updated = await deps.agents.updateAgent(input.workspaceId, input.agentId, {
    ...patch,
    ...(patch.model === '' ? { model: null } : {}),
  });
  if (!updated) throw new AppError('NOT_FOUND', `Agent ${input.agentId} not found`);
  return updated;
}
