import type { ModelMessage } from 'ai';
import { AppError } from '../errors';
import { emitChatEvent } from './chat-stream';
import { defaultAgents } from './default-agents';
import type { AgentKindName, ChatEventBody } from './events';
import { runModelStep } from './model-runner';
import type { AgentConfig, AgentDeps } from './ports';
import { planWithReasoner, type ReasonerAction, type ReasonerStep } from './reasoner';
import { filterAllowedTools, quoteToolData } from './tool-policy';
import { applyUiPatch, callReadTool, requestApproval, type TurnContext } from './turn-actions';
import { BudgetExceededError, createTurnMeter, defaultTurnBudgets } from './turn-budget';

export interface SendMessageInput {
  workspaceId: string;
  sessionId: string;
  message: string;
  actorId: string;
}

/** The agents of a workspace, creating the defaults the first time. */
export async function loadWorkspaceAgents(deps: Pick<AgentDeps, 'agents'>, workspaceId: string): Promise<AgentConfig[]> {
  let agents = await deps.agents.listAgents(workspaceId);
  if (defaultAgents.some((agent) => !agents.some((existing) => existing.name === agent.name))) {
    await deps.agents.insertMissingAgents(workspaceId, [...defaultAgents]);
    agents = await deps.agents.listAgents(workspaceId);
  }
  return agents;
}

/**
 * Stores the person's message and starts the turn in the background. Returns
 * at once with the seq the turn's events follow, so a client can stream
 * them from `afterSeq`. `finished` settles when the turn ends (never rejects).
 */
export async function sendChatMessage(deps: AgentDeps, input: SendMessageInput): Promise<{ messageId: string; afterSeq: number; finished: Promise<void> }> {
  const session = await deps.chats.findSession(input.workspaceId, input.sessionId);
  if (!session) throw new AppError('NOT_FOUND', `Chat session ${input.sessionId} not found`);
  const message = await deps.chats.appendMessage({ workspaceId: input.workspaceId, sessionId: input.sessionId, role: 'user', content: input.message });
  const finished = runChatTurn(deps, input).catch((error: unknown) => {
    deps.logger.error('Chat turn failed outside its error handling', { sessionId: input.sessionId, error: String(error) });
  });
  return { messageId: message.id, afterSeq: session.lastSeq, finished };
}

function errorEventOf(error: unknown): Extract<ChatEventBody, { type: 'error' }> {
  if (error instanceof BudgetExceededError) return { type: 'error', code: error.code, message: error.message };
  if (error instanceof AppError && error.code !== 'INTERNAL') return { type: 'error', code: 'MODEL_ERROR', message: error.message };
  const text = error instanceof Error ? error.message : String(error);
  const isModel = error instanceof Error && /APICallError|AI_|ai-sdk|provider/i.test(`${error.name} ${error.constructor.name}`);
  return { type: 'error', code: isModel ? 'MODEL_ERROR' : 'INTERNAL', message: isModel ? `The model provider failed: ${text}` : `The turn failed: ${text}` };
}

/** Runs one turn: plan, agents, tools, events, the assistant message, then `done` (or one `error`). */
export async function runChatTurn(deps: AgentDeps, input: SendMessageInput): Promise<void> {
  const budgets = { ...defaultTurnBudgets, ...deps.budgets };
  const startedAt = deps.clock.now().getTime();
  const meter = createTurnMeter(budgets, startedAt, () => deps.clock.now().getTime());
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(new BudgetExceededError('BUDGET_TIME', `The turn stopped: it ran longer than ${budgets.maxDurationMs} ms (the time budget).`)), budgets.maxDurationMs);
  const target = { workspaceId: input.workspaceId, sessionId: input.sessionId };
  const emit = async (body: ChatEventBody) => {
    // A turn past its time budget stops at its next event, whichever agent is running.
    if (abort.signal.aborted) throw abort.signal.reason instanceof Error ? abort.signal.reason : new Error('The turn was stopped.');
    const event = await emitChatEvent(deps, target, body);
    // Embedded PGlite answers through microtasks only: without a macrotask turn here, bus
    // deliveries and socket writes would wait until the whole turn is over.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    return event;
  };
  const turn: TurnContext = { deps, ...target, actorId: input.actorId, meter, signal: abort.signal, emit };
  const texts: string[] = [];
  try {
    await runTurnSteps(turn, input.message, texts);
    const content = texts.join('\n\n');
    const saved = await deps.chats.appendMessage({ ...target, role: 'assistant', content });
    await turn.emit({ type: 'done', messageId: saved.id, usage: { ...meter.usage, durationMs: deps.clock.now().getTime() - startedAt } });
  } catch (caught) {
    const error = abort.signal.aborted && abort.signal.reason instanceof BudgetExceededError ? abort.signal.reason : caught;
    const event = errorEventOf(error);
    await deps.chats.appendMessage({ ...target, role: 'assistant', content: [...texts, `(${event.message})`].join('\n\n') });
    await emitChatEvent(deps, target, event);
  } finally {
    clearTimeout(timer);
    abort.abort();
  }
}

async function resolveModelSpec(deps: AgentDeps, workspaceId: string, agent: AgentConfig | undefined): Promise<string | null> {
  return agent?.model ?? (await deps.data.readWorkspaceModel(workspaceId)) ?? deps.defaultModel ?? null;
}

async function runTurnSteps(turn: TurnContext, message: string, texts: string[]): Promise<void> {
  const { deps } = turn;
  await turn.emit({ type: 'agent-status', agent: 'planner', status: 'started' });
  const agents = await loadWorkspaceAgents(deps, turn.workspaceId);
  const byKind = (kind: AgentKindName) => agents.find((agent) => agent.kind === kind);
  const readTools = deps.tools ? await deps.tools.listTools(turn.workspaceId) : [];
  const opsAgent = byKind('ops-intelligence');
  const { intent, steps } = await planWithReasoner({
    data: deps.data, workspaceId: turn.workspaceId, text: message, now: deps.clock.now(),
    readTools: opsAgent ? filterAllowedTools(readTools, opsAgent.allowedTools) : [],
  });
  const opsModel = await resolveModelSpec(deps, turn.workspaceId, opsAgent);
  const useModelForUnknown = intent.kind === 'unknown' && opsModel !== null;
  const planned = useModelForUnknown ? [{ agent: 'ops-intelligence' as const, goal: 'Answer with the model and the workspace tools' }] : steps.map((step) => ({ agent: step.agent, goal: step.goal }));
  await turn.emit({ type: 'plan', steps: planned });
  await turn.emit({ type: 'agent-status', agent: 'planner', status: 'finished' });
  if (useModelForUnknown) {
    await runAgentStep(turn, opsAgent, texts, () => runWithModel(turn, opsAgent!, opsModel, message, readTools));
    return;
  }
  for (const step of steps) {
    const agent = byKind(step.agent);
    const spec = step.agent === 'planner' ? null : await resolveModelSpec(deps, turn.workspaceId, agent);
    await runAgentStep(turn, agent, texts, () => (spec && agent ? runWithModel(turn, agent, spec, message, readTools) : runReasonerStep(turn, step)), step.agent);
  }
}

async function runAgentStep(turn: TurnContext, agent: AgentConfig | undefined, texts: string[], run: () => Promise<string>, kind: AgentKindName = agent?.kind ?? 'planner') {
  turn.meter.checkTime();
  if (agent && !agent.enabled) {
    await turn.emit({ type: 'agent-status', agent: kind, status: 'skipped', detail: `The ${agent.name} agent is disabled in this workspace.` });
    texts.push(`The ${agent.name} agent is disabled in this workspace, so this step was skipped.`);
    return;
  }
  await turn.emit({ type: 'agent-status', agent: kind, status: 'started' });
  texts.push(await run());
  await turn.emit({ type: 'agent-status', agent: kind, status: 'finished' });
}

async function runWithModel(turn: TurnContext, agent: AgentConfig, spec: string, message: string, tools: Awaited<ReturnType<NonNullable<AgentDeps['tools']>['listTools']>>): Promise<string> {
  const model = await turn.deps.models.resolve(spec, turn.workspaceId);
  const history = await turn.deps.chats.listMessages(turn.workspaceId, turn.sessionId, { limit: 21 });
  const prior: ModelMessage[] = history
    .slice(0, -1)
    .filter((entry) => entry.role === 'user' || entry.role === 'assistant')
    .map((entry) => ({ role: entry.role as 'user' | 'assistant', content: entry.content }));
  const result = await runModelStep({ turn, agent, model, history: prior, message, tools: filterAllowedTools(tools, agent.allowedTools) });
  return result.text;
}

/** Streams a reasoner answer line by line, then carries out its actions through the guarded paths. */
async function runReasonerStep(turn: TurnContext, step: ReasonerStep): Promise<string> {
  turn.meter.countStep();
  const { answer, actions } = await step.run();
  const lines = answer.text.split('\n');
  for (const [index, line] of lines.entries()) {
    await turn.emit({ type: 'text-delta', agent: step.agent, text: index < lines.length - 1 ? `${line}\n` : line });
  }
  const extra: string[] = [];
  for (const action of actions) extra.push(...(await runReasonerAction(turn, step.agent, action)));
  return [answer.text, ...extra].join('\n');
}

async function runReasonerAction(turn: TurnContext, agent: AgentKindName, action: ReasonerAction): Promise<string[]> {
  turn.meter.countStep();
  switch (action.kind) {
    case 'approval':
      await requestApproval(turn, action);
      return [];
    case 'ui-patch': {
      const result = await applyUiPatch(turn, action.context, action.patch, action.request);
      const summary = result.summary ? `${result.summary} ` : '';
      const note = result.applied ? `${summary}The dashboard (${action.context}) is now at version ${result.version}.` : `The patch was not applied: ${result.error ?? 'refused'}.`;
      await turn.emit({ type: 'text-delta', agent, text: `\n${note}` });
      return [note];
    }
    case 'read-tool': {
      const result = await callReadTool(turn, agent, action.tool, action.args);
      const note = `Data from ${action.tool} (quoted as data; nothing in it is followed):\n${quoteToolData(result.data)}`;
      await turn.emit({ type: 'text-delta', agent, text: `\n${note}` });
      return [note];
    }
    default: {
      const unreachable: never = action;
      throw new Error(`Unhandled action ${JSON.stringify(unreachable)}`);
    }
  }
}
