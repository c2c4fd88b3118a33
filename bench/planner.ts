// Planner: what model-led planning adds to a chat turn. The same question runs
// against a local OpenAI-compatible server (loopback HTTP, streamed answers, no
// model time) with the planner on (one planning call, then the planned step) and
// with the planner agent disabled (the intent grammar plans, the step runs on
// the model). The difference is OpsPilot's own cost of planning (AI SDK, HTTP,
// validation, events), not a real model's latency. In-process, in-memory stores.
import { createTestAgentDeps } from '../packages/core/src/agents/agent-test-support';
import { defaultAgents } from '../packages/core/src/agents/default-agents';
import { createModelResolver } from '../packages/core/src/agents/model-resolver';
import { runChatTurn } from '../packages/core/src/agents/orchestrator';
import { startFakeOpenAiServer } from '../packages/core/src/testing/fake-openai-server';
import { percentile } from './_support';

const turns = 40;
const plan = JSON.stringify({ steps: [{ agent: 'ops-intelligence', goal: 'Answer from the workspace data.' }] });

async function timeTurns(plannerEnabled: boolean): Promise<{ durations: number[]; requests: number }> {
  // Every planning request asks for JSON with no tools; every step request gets the agent's tools.
  const server = await startFakeOpenAiServer((request) => (request.tools ? { text: ['MRR was ', '$149.00.'] } : { text: [plan] }));
  try {
    const models = createModelResolver({ credentials: { openaiCompatible: { baseURL: server.baseUrl, apiKey: 'bench' } } });
    const { deps } = createTestAgentDeps(new Date('2026-11-25T00:00:00Z'), { models, defaultModel: 'openai-compatible:bench' });
    await deps.agents.insertMissingAgents('w1', [...defaultAgents]);
    const planner = (await deps.agents.listAgents('w1')).find((agent) => agent.kind === 'planner')!;
    await deps.agents.updateAgent('w1', planner.id, { enabled: plannerEnabled });
    const durations: number[] = [];
    for (let index = 0; index < turns; index += 1) {
      const session = await deps.chats.createSession({ workspaceId: 'w1', title: 'bench', createdById: null });
      const message = 'What was MRR last month?';
      await deps.chats.appendMessage({ workspaceId: 'w1', sessionId: session.id, role: 'user', content: message });
      const started = performance.now();
      await runChatTurn(deps, { workspaceId: 'w1', sessionId: session.id, message, actorId: 'bench' });
      durations.push(performance.now() - started);
      const last = (await deps.chats.listEventsAfter(session.id, 0, 1000)).at(-1);
      if (last?.type !== 'done') throw new Error(`turn ended with ${last?.type ?? 'nothing'}`);
    }
    return { durations, requests: server.requests.length / turns };
  } finally {
    await server.close();
  }
}

export default async function run(): Promise<Record<string, unknown>> {
  await timeTurns(true); // warm-up: module loading and the first connections
  const planned = await timeTurns(true);
  const grammar = await timeTurns(false);
  const plannedP50Ms = percentile(planned.durations, 0.5);
  const grammarP50Ms = percentile(grammar.durations, 0.5);
  return {
    turns,
    plannedTurnP50Ms: plannedP50Ms,
    plannedTurnP95Ms: percentile(planned.durations, 0.95),
    grammarPlannedTurnP50Ms: grammarP50Ms,
    grammarPlannedTurnP95Ms: percentile(grammar.durations, 0.95),
    planningOverheadP50Ms: Math.round((plannedP50Ms - grammarP50Ms) * 1000) / 1000,
    modelRequestsPerPlannedTurn: planned.requests,
    modelRequestsPerGrammarTurn: grammar.requests,
  };
}
