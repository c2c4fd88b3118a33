import { z } from 'zod';

/** The agents of a turn, by their stable kind. */
export const agentKinds = ['planner', 'ops-intelligence', 'ui-designer', 'remediation'] as const;
export const AgentKindName = z.enum(agentKinds);
export type AgentKindName = z.infer<typeof AgentKindName>;

export const chatEventTypes = [
  'agent-status',
  'plan',
  'text-delta',
  'tool-call',
  'tool-result',
  'ui-patch',
  'approval-request',
  'done',
  'error',
] as const;
export type ChatEventType = (typeof chatEventTypes)[number];

const JsonPatchOperation = z.object({
  op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  path: z.string(),
  from: z.string().optional(),
  value: z.unknown().optional(),
});
export type JsonPatchOperation = z.infer<typeof JsonPatchOperation>;

/** What an event says, before it is numbered and stored. */
export const ChatEventBody = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('agent-status'),
    agent: AgentKindName,
    status: z.enum(['started', 'finished', 'skipped']),
    detail: z.string().optional(),
  }),
  z.object({
    type: z.literal('plan'),
    steps: z.array(z.object({ agent: AgentKindName, goal: z.string() })),
  }),
  z.object({ type: z.literal('text-delta'), agent: AgentKindName, text: z.string() }),
  z.object({
    type: z.literal('tool-call'),
    agent: AgentKindName,
    callId: z.string(),
    tool: z.string(),
    args: z.record(z.string(), z.unknown()),
  }),
  z.object({
    type: z.literal('tool-result'),
    agent: AgentKindName,
    callId: z.string(),
    tool: z.string(),
    isError: z.boolean(),
    /** The tool's answer as untrusted data; never followed as instructions. */
    data: z.unknown(),
    /** For OpsPilot's UI tools: the same widget metadata the MCP endpoint sends (ui.resourceUri, openai/outputTemplate). */
    _meta: z.record(z.string(), z.unknown()).optional(),
  }),
  z.object({
    type: z.literal('ui-patch'),
    context: z.string(),
    patch: z.array(JsonPatchOperation),
    applied: z.boolean(),
    version: z.number().int().nullable(),
  }),
  z.object({
    type: z.literal('approval-request'),
    approvalId: z.string(),
    title: z.string(),
    summary: z.string(),
    action: z.object({ kind: z.enum(['tool', 'workflow']), name: z.string(), args: z.record(z.string(), z.unknown()) }),
  }),
  z.object({
    type: z.literal('done'),
    messageId: z.string(),
    usage: z.object({ steps: z.number().int(), tokens: z.number().int(), durationMs: z.number() }),
  }),
  z.object({
    type: z.literal('error'),
    /**
     * TURN_ABANDONED: the process running the turn stopped mid-answer; the turn sweeper closes it.
     * WORKSPACE_DELETED: the session's workspace was deleted; sent live to open streams, never stored.
     */
    code: z.enum(['BUDGET_STEPS', 'BUDGET_TOKENS', 'BUDGET_TIME', 'MODEL_ERROR', 'INTERNAL', 'TURN_ABANDONED', 'WORKSPACE_DELETED']),
    message: z.string(),
  }),
]);
export type ChatEventBody = z.infer<typeof ChatEventBody>;

/** A stored event: numbered 1, 2, 3... per session in the order it was written. */
export type ChatEvent = ChatEventBody & { sessionId: string; seq: number; at: string };

/** Whether this event ends a turn (exactly one per turn). */
export function isTerminalEvent(event: ChatEventBody): boolean {
  return event.type === 'done' || event.type === 'error';
}

/** Topic of a session's live events on the EventBus. */
export function chatTopic(sessionId: string): string {
  return `chat:${sessionId}`;
}
