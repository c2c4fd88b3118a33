import type { ModelMessage } from 'ai';
import { AppError, isAppError } from '../errors';
import { emitChatEvent } from './chat-stream';
import { defaultAgents } from './default-agents';
import { createDeltaCoalescer, defaultDeltaCoalescing } from './delta-coalescer';
import type { AgentKindName, ChatEventBody } from './events';
import { planWithModel, type ModelPlanOutcome, type PlannedStep } from './model-planner';
import { runModelStep, type ModelStepContext } from './model-runner';
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
  if (isAppError(error) && error.code !== 'INTERNAL') return { type: 'error', code: 'MODEL_ERROR', message: error.message };
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
  const events = createDeltaCoalescer(async (body) => {
    await emitChatEvent(deps, target, body);
    // Embedded PGlite answers through microtasks only: without a macrotask turn here, bus
    // deliveries and socket writes would wait until the whole turn is over.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }, { ...defaultDeltaCoalescing, ...deps.deltaCoalescing });
  const emit = async (body: ChatEventBody) => {
    // A turn past its time budget stops at its next event, whichever agent is running.
    if (abort.signal.aborted) throw abort.signal.reason instanceof Error ? abort.signal.reason : new Error('The turn was stopped.');
    await events.push(body);
  };
  const turn: TurnContext = { deps, ...target, actorId: input.actorId, meter, signal: abort.signal, emit };
  const texts: string[] = [];
  try {
    await runTurnSteps(turn, input.message, texts);
    await events.flush();
    const content = texts.join('\n\n');
    const saved = await deps.chats.appendMessage({ ...target, role: 'assistant', content });
    await turn.emit({ type: 'done', messageId: saved.id, usage: { ...meter.usage, durationMs: deps.clock.now().getTime() - startedAt } });
  } catch (caught) {
    const error = abort.signal.aborted && abort.signal.reason instanceof BudgetExceededError ? abort.signal.reason : caught;
    const event = errorEventOf(error);
    // Text already streamed stays before the error event; a write that failed is not retried.
    await events.flush().catch(() => undefined);
    await deps.chats.appendMessage({ ...target, role: 'assistant', content: [...texts, `(${event.message})`].join('\n\n') });
    await emitChatEvent(deps, target, event);
  } finally {
    events.close();
    clearTimeout(timer);
    abort.abort();
  }
}

async function resolveModelSpec(deps: AgentDeps, workspaceId: string, agent: AgentConfig | undefined): Promise<string | null> {
  return agent?.model ?? (await deps.data.readWorkspaceModel(workspaceId)) ?? deps.defaultModel ?? null;
}

type AgentTools = Awaited<ReturnType<NonNullable<AgentDeps['tools']>['listTools']>>;

async function runTurnSteps(turn: TurnContext, message: string, texts: string[]): Promise<void> {
  const { deps } = turn;
  await turn.emit({ type: 'agent-status', agent: 'planner', status: 'started' });
  const agents = await loadWorkspaceAgents(deps, turn.workspaceId);
  const readTools = deps.tools ? await deps.tools.listTools(turn.workspaceId) : [];
  const planner = agents.find((agent) => agent.kind === 'planner');
  // A disabled planner agent means the grammar plans, as in a workspace without a model.
  const plannerSpec = planner?.enabled ? await resolveModelSpec(deps, turn.workspaceId, planner) : null;
  if (planner && plannerSpec) {
    const outcome = await planTurnOnModel(turn, planner, plannerSpec, agents, message);
    if (outcome.source === 'model') {
      await turn.emit({ type: 'plan', steps: outcome.steps });
      await turn.emit({ type: 'agent-status', agent: 'planner', status: 'finished', detail: outcome.detail });
      await runPlannedSteps(turn, { agents, readTools, plannerSpec, message, steps: outcome.steps }, texts);
      return;
    }
    await runGrammarPlan(turn, { agents, readTools, message }, texts, `${outcome.reason}; the built-in intent grammar planned this turn instead.`);
    return;
  }
  await runGrammarPlan(turn, { agents, readTools, message }, texts);
}

async function planTurnOnModel(turn: TurnContext, planner: AgentConfig, spec: string, agents: AgentConfig[], message: string): Promise<ModelPlanOutcome> {
  let model: Awaited<ReturnType<AgentDeps['models']['resolve']>>;
  try {
    model = await turn.deps.models.resolve(spec, turn.workspaceId);
  } catch (error) {
    return { source: 'fallback', reason: `The planner's model (${spec}) is not available: ${error instanceof Error ? error.message : String(error)}` };
  }
  return planWithModel({ turn, planner, model, spec, agents, history: await loadHistory(turn), message });
}

/**
 * Runs each step of a model-made plan on the model with that agent's
 * instructions and allowed tools. A step whose agent has no model of its own
 * uses the planner's (the workspace's) model; disabled agents are skipped.
 */
async function runPlannedSteps(turn: TurnContext, plan: { agents: AgentConfig[]; readTools: AgentTools; plannerSpec: string; message: string; steps: PlannedStep[] }, texts: string[]) {
  const earlier: ModelStepContext['earlier'] = [];
  for (const [index, step] of plan.steps.entries()) {
    const agent = plan.agents.find((candidate) => candidate.kind === step.agent);
    if (!agent) {
      await turn.emit({ type: 'agent-status', agent: step.agent, status: 'skipped', detail: `This workspace has no ${step.agent} agent.` });
      continue;
    }
    const spec = (await resolveModelSpec(turn.deps, turn.workspaceId, agent)) ?? plan.plannerSpec;
    const context: ModelStepContext = { goal: step.goal, index, total: plan.steps.length, earlier: [...earlier] };
    const before = texts.length;
    await runAgentStep(turn, agent, texts, () => runWithModel(turn, agent, spec, plan.message, plan.readTools, context), step.agent);
    if (agent.enabled) earlier.push({ agent: step.agent, text: texts.slice(before).join('\n') });
  }
}

/** The plan of a workspace without a model (or when the model's plan failed): the intent grammar's one step. */
async function runGrammarPlan(turn: TurnContext, input: { agents: AgentConfig[]; readTools: AgentTools; message: string }, texts: string[], fallbackDetail?: string) {
  const { deps } = turn;
  const byKind = (kind: AgentKindName) => input.agents.find((agent) => agent.kind === kind);
  const opsAgent = byKind('ops-intelligence');
  const { intent, steps } = await planWithReasoner({
    data: deps.data, workspaceId: turn.workspaceId, text: input.message, now: deps.clock.now(),
    readTools: opsAgent ? filterAllowedTools(input.readTools, opsAgent.allowedTools) : [],
  });
  const opsModel = await resolveModelSpec(deps, turn.workspaceId, opsAgent);
  const useModelForUnknown = intent.kind === 'unknown' && opsModel !== null;
  const planned = useModelForUnknown ? [{ agent: 'ops-intelligence' as const, goal: 'Answer with the model and the workspace tools' }] : steps.map((step) => ({ agent: step.agent, goal: step.goal }));
  await turn.emit({ type: 'plan', steps: planned });
  await turn.emit({ type: 'agent-status', agent: 'planner', status: 'finished', ...(fallbackDetail ? { detail: fallbackDetail } : {}) });
  if (useModelForUnknown) {
    await runAgentStep(turn, opsAgent, texts, () => runWithModel(turn, opsAgent!, opsModel, input.message, input.readTools));
    return;
  }
  for (const step of steps) {
    const agent = byKind(step.agent);
    const spec = step.agent === 'planner' ? null : await resolveModelSpec(deps, turn.workspaceId, agent);
    await runAgentStep(turn, agent, texts, () => (spec && agent ? runWithModel(turn, agent, spec, input.message, input.readTools) : runReasonerStep(turn, step)), step.agent);
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

/** The session's earlier messages (up to 20), without the one being answered. */
async function loadHistory(turn: TurnContext): Promise<ModelMessage[]> {
  const history = await turn.deps.chats.listMessages(turn.workspaceId, turn.sessionId, { limit: 21 });
  return history
    .slice(0, -1)
    .filter((entry) => entry.role === 'user' || entry.role === 'assistant')
    .map((entry) => ({ role: entry.role as 'user' | 'assistant', content: entry.content }));
}

async function runWithModel(turn: TurnContext, agent: AgentConfig, spec: string, message: string, tools: AgentTools, step?: ModelStepContext): Promise<string> {
  const model = await turn.deps.models.resolve(spec, turn.workspaceId);
  const history = await loadHistory(turn);
  const result = await runModelStep({ turn, agent, model, history, message, tools: filterAllowedTools(tools, agent.allowedTools), ...(step ? { step } : {}) });
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
