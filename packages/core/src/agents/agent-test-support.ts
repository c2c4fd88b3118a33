import type { Clock, IdGenerator } from '../ports';
import { startFakeOpenAiServer, type FakeCompletion, type FakeOpenAiRequest } from '../testing/fake-openai-server';
import { silentLogger } from '../ports';
import { createInMemoryChatRepository, createInMemoryEventBus } from '../testing/in-memory-chat';
import type { ChatEvent } from './events';
import { defaultAgents } from './default-agents';
import { createModelResolver } from './model-resolver';
import { runChatTurn } from './orchestrator';
import type { AgentConfig, AgentDeps, AgentRepository, AgentTool, BusinessDataPort, ToolGatewayPort } from './ports';

/** A fixed clock and counter ids, so turns are deterministic. */
export function createTestClockAndIds(now: Date): { clock: Clock; ids: IdGenerator } {
  let counter = 0;
  return { clock: { now: () => new Date(now) }, ids: { next: (prefix = 'id') => `${prefix}_${++counter}` } };
}

export function createInMemoryAgentRepository(): AgentRepository {
  const agents: AgentConfig[] = [];
  return {
    listAgents: (workspaceId) => Promise.resolve(agents.filter((agent) => agent.workspaceId === workspaceId).map((agent) => ({ ...agent }))),
    insertMissingAgents: (workspaceId, defaults) => {
      for (const agent of defaults) {
        if (!agents.some((existing) => existing.workspaceId === workspaceId && existing.name === agent.name)) {
          agents.push({ ...agent, id: `agent_${agents.length + 1}`, workspaceId });
        }
      }
      return Promise.resolve();
    },
    updateAgent: (workspaceId, agentId, patch) => {
      const agent = agents.find((candidate) => candidate.id === agentId && candidate.workspaceId === workspaceId);
      if (!agent) return Promise.resolve(null);
      Object.assign(agent, patch);
      return Promise.resolve({ ...agent });
    },
  };
}

/** A tiny business: two customers, one of whom churns on 2026-10-10. */
export function createSmallBusinessData(): BusinessDataPort {
  const ledger = [
    { customerId: 'c1', occurredAt: new Date('2026-01-05T00:00:00Z'), mrrBefore: 0, mrrAfter: 14_900, planKey: 'growth' },
    { customerId: 'c2', occurredAt: new Date('2026-02-01T00:00:00Z'), mrrBefore: 0, mrrAfter: 4_900, planKey: 'starter' },
    { customerId: 'c2', occurredAt: new Date('2026-10-10T00:00:00Z'), mrrBefore: 4_900, mrrAfter: 0, planKey: 'starter' },
  ];
  return {
    loadMetricFacts: () => Promise.resolve({ mrrChanges: ledger }),
    listPlans: () => Promise.resolve([{ key: 'starter', name: 'Starter' }, { key: 'growth', name: 'Growth' }]),
    readCustomerNames: (_, ids) => Promise.resolve(new Map(ids.map((id) => [id, id === 'c1' ? 'Globex' : 'Initech']))),
    listAtRiskCustomers: () => Promise.resolve([]),
    listIncidents: () => Promise.resolve([]),
    listAnomalies: () => Promise.resolve([]),
    listDeploys: () => Promise.resolve([]),
    listWorkflows: () => Promise.resolve([{ id: 'wf1', key: 'dunning-retry', name: 'Retry failed payments', description: 'Retries failed invoices.', enabled: true }]),
    readWorkspaceModel: () => Promise.resolve(null),
  };
}

/** A gateway with one read tool and one destructive tool that records every call. */
export function createRecordingGateway(readResult: unknown): ToolGatewayPort & { calls: { tool: string; args: Record<string, unknown> }[] } {
  const tools: AgentTool[] = [
    { name: 'linear__list_issues', description: 'Lists open issues.', inputSchema: { type: 'object', properties: {} }, readOnly: true },
    { name: 'stripe__refund_payment', description: 'Refunds a payment.', inputSchema: { type: 'object', properties: { paymentId: { type: 'string' } } }, readOnly: false },
  ];
  const calls: { tool: string; args: Record<string, unknown> }[] = [];
  return {
    calls,
    listTools: () => Promise.resolve(tools),
    callTool: (input) => {
      calls.push({ tool: input.tool, args: input.args });
      return Promise.resolve({ isError: false, data: input.tool === 'linear__list_issues' ? readResult : { refunded: true } });
    },
  };
}

export function createTestAgentDeps(now: Date, overrides: Partial<AgentDeps> = {}) {
  const approvals: { approvalId: string; title: string; action: { kind: string; name: string } }[] = [];
  const { clock, ids } = createTestClockAndIds(now);
  const deps: AgentDeps = {
    chats: createInMemoryChatRepository(),
    agents: createInMemoryAgentRepository(),
    data: createSmallBusinessData(),
    approvals: {
      requestApproval: (input) => {
        const approvalId = `approval_${approvals.length + 1}`;
        approvals.push({ approvalId, title: input.title, action: input.action });
        return Promise.resolve({ approvalId });
      },
    },
    models: { resolve: () => Promise.reject(new Error('no model configured')) },
    bus: createInMemoryEventBus(),
    clock,
    ids,
    logger: silentLogger,
    ...overrides,
  };
  return { deps, approvals };
}

/** A fake model answer carrying a plan, as the planner asks for it (JSON text). */
export function planCompletion(steps: { agent: string; goal: string }[]): FakeCompletion {
  const json = JSON.stringify({ steps });
  // Streamed in pieces, as providers do.
  return { text: [json.slice(0, 10), json.slice(10)] };
}

/**
 * Runs one turn against a local OpenAI-compatible server answering from `script`
 * (the first request of a turn is the planner's). `prepare` may change the
 * workspace's agents before the turn.
 */
export async function runTurnOnFakeModel(
  script: FakeCompletion[] | ((request: FakeOpenAiRequest, index: number) => FakeCompletion),
  message: string,
  options: { now?: Date; extra?: Partial<AgentDeps>; prepare?: (deps: AgentDeps) => Promise<void>; provider?: 'openai' | 'openai-compatible' } = {},
) {
  const server = await startFakeOpenAiServer(script);
  try {
    const provider = options.provider ?? 'openai-compatible';
    const credentials = { openaiCompatible: { baseURL: server.baseUrl, apiKey: 'test-key' }, openaiApiKey: 'test-key', openaiBaseUrl: server.baseUrl };
    const models = createModelResolver({ credentials });
    const { deps, approvals } = createTestAgentDeps(options.now ?? new Date('2026-11-25T00:00:00Z'), { models, defaultModel: `${provider}:fake-model`, ...options.extra });
    await options.prepare?.(deps);
    const session = await deps.chats.createSession({ workspaceId: 'w1', title: 'planned', createdById: null });
    await deps.chats.appendMessage({ workspaceId: 'w1', sessionId: session.id, role: 'user', content: message });
    await runChatTurn(deps, { workspaceId: 'w1', sessionId: session.id, message, actorId: 'user_1' });
    const events: ChatEvent[] = await deps.chats.listEventsAfter(session.id, 0, 1000);
    return { events, approvals, deps, session, requests: server.requests };
  } finally {
    await server.close();
  }
}

/** Disables one agent of workspace w1 (creating the defaults first). */
export async function disableAgent(deps: AgentDeps, kind: AgentConfig['kind']): Promise<void> {
  await deps.agents.insertMissingAgents('w1', [...defaultAgents]);
  const agent = (await deps.agents.listAgents('w1')).find((candidate) => candidate.kind === kind);
  if (!agent) throw new Error(`No ${kind} agent`);
  await deps.agents.updateAgent('w1', agent.id, { enabled: false });
}
