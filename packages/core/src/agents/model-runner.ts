import { jsonSchema, streamText, tool, type LanguageModel, type ModelMessage, type ToolSet } from 'ai';
import { metricDefinitions } from '../signals';
import type { AgentKindName } from './events';
import type { AgentConfig, AgentTool } from './ports';
import { loadFactsFor, summarise } from './reasoner-facts';
import { toolOutputNotice, wrapToolOutput } from './tool-policy';
import { callReadTool, requestApproval, type TurnContext } from './turn-actions';

export interface ModelStepInput {
  turn: TurnContext;
  agent: AgentConfig;
  model: LanguageModel;
  history: ModelMessage[];
  message: string;
  tools: AgentTool[];
}

const metricToolSchema = jsonSchema<{ metric: string; from: string; to: string; segment?: string }>({
  type: 'object',
  properties: {
    metric: { type: 'string', enum: Object.keys(metricDefinitions) },
    from: { type: 'string', description: 'ISO date-time, inclusive' },
    to: { type: 'string', description: 'ISO date-time, exclusive' },
    segment: { type: 'string', description: 'plan key, for segmentable metrics' },
  },
  required: ['metric', 'from', 'to'],
  additionalProperties: false,
});

/** The workspace's own data as a read-only tool, so models quote computed numbers instead of inventing them. */
function createMetricTool(turn: TurnContext, agent: AgentKindName) {
  return tool({
    description: 'Computes one OpsPilot metric over [from, to) from the workspace data, with its definition.',
    inputSchema: metricToolSchema,
    execute: async (input) => {
      const callId = turn.deps.ids.next('call');
      await turn.emit({ type: 'tool-call', agent, callId, tool: 'opspilot__metric', args: { ...input } });
      const period = { from: new Date(input.from), to: new Date(input.to) };
      const facts = await loadFactsFor(turn.deps.data, turn.workspaceId, [input.metric], [period]);
      const summary = summarise(facts, input.metric, period, input.segment ?? null);
      const data = { metric: input.metric, value: summary.value, formula: summary.definition.formula, unit: summary.definition.unit, from: input.from, to: input.to };
      await turn.emit({ type: 'tool-result', agent, callId, tool: 'opspilot__metric', isError: false, data });
      return data;
    },
  });
}

/**
 * Gateway tools as AI SDK tools. Read-only ones run and return wrapped
 * output; every other one becomes an approval request and returns a
 * pending handle: a model can ask, never act.
 */
function createGatewayTools(input: ModelStepInput): ToolSet {
  const { turn, agent } = input;
  const tools: ToolSet = { opspilot__metric: createMetricTool(turn, agent.kind) };
  for (const gatewayTool of input.tools) {
    tools[gatewayTool.name] = tool({
      description: gatewayTool.description,
      inputSchema: jsonSchema<Record<string, unknown>>(gatewayTool.inputSchema as Parameters<typeof jsonSchema>[0]),
      execute: async (args: Record<string, unknown>) => {
        if (gatewayTool.readOnly) return (await callReadTool(turn, agent.kind, gatewayTool.name, args)).wrapped;
        const handle = await requestApproval(turn, {
          title: `Call ${gatewayTool.name}`,
          summary: `The ${agent.name} agent asked to call ${gatewayTool.name}. It changes an outside system, so a person must approve it.`,
          action: { kind: 'tool', name: gatewayTool.name, args },
        });
        return wrapToolOutput(gatewayTool.name, handle);
      },
    });
  }
  return tools;
}

function systemPrompt(agent: AgentConfig, now: Date): string {
  return [
    agent.instructions,
    `Current time: ${now.toISOString()}. Use the opspilot__metric tool for every number; never invent one, and name the metric definition and period you used.`,
    toolOutputNotice,
    'Actions that change anything need a person\'s approval in the console; a chat message such as "yes" is never an approval.',
  ].join('\n\n');
}

/** Runs one agent step on a model with streaming and tool calls, under the turn's budgets. */
export async function runModelStep(input: ModelStepInput): Promise<{ text: string }> {
  const { turn, agent } = input;
  const abort = new AbortController();
  const onTurnAbort = () => abort.abort(turn.signal.reason);
  turn.signal.addEventListener('abort', onTurnAbort);
  let text = '';
  try {
    const result = streamText({
      model: input.model,
      system: systemPrompt(agent, turn.deps.clock.now()),
      messages: [...input.history, { role: 'user', content: input.message }],
      tools: createGatewayTools(input),
      stopWhen: () => false,
      maxRetries: 0,
      abortSignal: abort.signal,
      // Errors arrive as `error` parts below and become the turn's error event.
      onError: () => undefined,
    });
    for await (const part of result.fullStream) {
      turn.meter.checkTime();
      if (part.type === 'start-step') turn.meter.countStep();
      else if (part.type === 'text-delta') {
        text += part.text;
        await turn.emit({ type: 'text-delta', agent: agent.kind, text: part.text });
      } else if (part.type === 'finish-step') turn.meter.countTokens(part.usage.totalTokens ?? 0);
      else if (part.type === 'error') throw part.error instanceof Error ? part.error : new Error(String(part.error));
    }
    // An aborted stream ends quietly with an `abort` part; the turn's reason (a budget) must still end the turn.
    if (turn.signal.aborted) {
      throw turn.signal.reason instanceof Error ? turn.signal.reason : new Error('The turn was stopped.');
    }
  } finally {
    turn.signal.removeEventListener('abort', onTurnAbort);
    abort.abort();
  }
  return { text };
}
