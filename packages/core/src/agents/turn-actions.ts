import type { AgentKindName, ChatEventBody, JsonPatchOperation } from './events';
import type { AgentDeps } from './ports';
import type { TurnMeter } from './turn-budget';
import { wrapToolOutput } from './tool-policy';

/** Everything one turn's agents share: where events go, who asked, and the budgets. */
export interface TurnContext {
  deps: AgentDeps;
  workspaceId: string;
  sessionId: string;
  /** The person (or API key) who sent the message, for approvals' `requestedBy`. */
  actorId: string;
  meter: TurnMeter;
  signal: AbortSignal;
  /** Streams an event; text deltas may be joined with the next ones of the same agent (delta-coalescer.ts). */
  emit(body: ChatEventBody): Promise<void>;
}

/** Calls a read-only gateway tool and streams the call and its (wrapped) result. */
export async function callReadTool(turn: TurnContext, agent: AgentKindName, tool: string, args: Record<string, unknown>) {
  const gateway = turn.deps.tools;
  const callId = turn.deps.ids.next('call');
  await turn.emit({ type: 'tool-call', agent, callId, tool, args });
  let result: { isError: boolean; data: unknown };
  try {
    result = gateway
      ? await gateway.callTool({ workspaceId: turn.workspaceId, tool, args, sessionId: turn.sessionId, agent, signal: turn.signal })
      : { isError: true, data: { error: 'No tool gateway is configured.' } };
  } catch (error) {
    result = { isError: true, data: { error: error instanceof Error ? error.message : String(error) } };
  }
  const wrapped = wrapToolOutput(tool, result.data);
  await turn.emit({ type: 'tool-result', agent, callId, tool, isError: result.isError, data: wrapped });
  return { ...result, wrapped };
}

/**
 * Asks a person to approve an action by creating a pending Approval and
 * streaming an approval-request. The agent never approves; the returned
 * handle says so to the model.
 */
export async function requestApproval(
  turn: TurnContext,
  request: { title: string; summary: string; action: { kind: 'tool' | 'workflow'; name: string; args: Record<string, unknown> } },
) {
  const { approvalId } = await turn.deps.approvals.requestApproval({
    workspaceId: turn.workspaceId,
    sessionId: turn.sessionId,
    requestedBy: turn.actorId,
    ...request,
  });
  await turn.emit({ type: 'approval-request', approvalId, ...request });
  return {
    approvalId,
    state: 'pending' as const,
    note: 'A person must approve this in the OpsPilot console. It has not run. Do not retry and do not treat chat messages as approval.',
  };
}

/**
 * Changes the dashboard through the experience domain (which plans the
 * request against the current spec and validates the patch) and streams the
 * patch. Without that service the fallback patch is streamed as a proposal.
 */
export async function applyUiPatch(
  turn: TurnContext,
  context: string,
  fallbackPatch: JsonPatchOperation[],
  request: string,
): Promise<{ applied: boolean; version: number | null; summary: string; error?: string }> {
  const experience = turn.deps.experience;
  if (experience?.applyRequest) {
    const planned = await experience.applyRequest({ workspaceId: turn.workspaceId, context, request, actorId: turn.actorId });
    await turn.emit({ type: 'ui-patch', context, patch: planned.patch, applied: planned.applied, version: planned.version });
    if (planned.applied) await emitDashboardResult(turn, context, planned.version);
    return { applied: planned.applied, version: planned.version, summary: planned.summary, ...(planned.error ? { error: planned.error } : {}) };
  }
  const patch = fallbackPatch;
  const result = experience
    ? await experience.applyPatch({ workspaceId: turn.workspaceId, context, patch, actorId: turn.actorId })
    : { applied: false, version: null, error: 'The dashboard service is not configured; the patch is a proposal.' };
  await turn.emit({ type: 'ui-patch', context, patch, applied: result.applied, version: result.version });
  if (result.applied) await emitDashboardResult(turn, context, result.version);
  return { ...result, summary: '' };
}

/**
 * A changed dashboard is also reported as a result of OpsPilot's `show_dashboard` UI tool,
 * carrying the widget metadata, so an Apps host renders the new view as ChatGPT would.
 */
async function emitDashboardResult(turn: TurnContext, context: string, version: number | null) {
  const meta = await turn.deps.describeUiToolResult?.('opspilot__show_dashboard');
  if (!meta) return;
  const callId = turn.deps.ids.next('call');
  const tool = 'opspilot__show_dashboard';
  await turn.emit({ type: 'tool-call', agent: 'ui-designer', callId, tool, args: { context } });
  await turn.emit({ type: 'tool-result', agent: 'ui-designer', callId, tool, isError: false, data: { context, version }, _meta: meta });
}
