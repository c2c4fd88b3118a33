import { metricDefinitions } from '../signals';
import type { AgentKindName, JsonPatchOperation } from './events';
import { parseIntent, type Intent } from './intent-parser';
import type { AgentTool, BusinessDataPort, WorkflowInfo } from './ports';
import { isAnswerableMetric, type Answer } from './reasoner-facts';
import { answerAtRisk, answerChurnedCustomers, answerWhatIsWrong } from './reasoner-insights';
import { answerBreakdown, answerComparison, answerMetricTrend, answerMetricValue, type MetricQuestionContext } from './reasoner-metrics';
import { answerWhy } from './reasoner-why';

/** Something the reasoner wants done; the orchestrator does it through the guarded paths. */
export type ReasonerAction =
  | { kind: 'approval'; title: string; summary: string; action: { kind: 'workflow' | 'tool'; name: string; args: Record<string, unknown> } }
  | { kind: 'ui-patch'; context: string; patch: JsonPatchOperation[]; request: string }
  | { kind: 'read-tool'; tool: string; args: Record<string, unknown> };

export interface ReasonerStep {
  agent: AgentKindName;
  goal: string;
  run(): Promise<{ answer: Answer; actions: ReasonerAction[] }>;
}

export interface ReasonerInput {
  data: BusinessDataPort;
  workspaceId: string;
  text: string;
  now: Date;
  /** Read-only tools the ops-intelligence agent may call. */
  readTools: AgentTool[];
}

const understood = [
  'a metric\'s value or trend ("MRR last month", "signups by week this quarter")',
  'comparisons ("churn rate this quarter vs last quarter")',
  'plans ("MRR by plan")',
  '"what is wrong?" and "why did MRR change?"',
  '"which customers churned last month?" and "which customers are at risk?"',
  'running or proposing a workflow, and adding a metric to the dashboard',
].join('; ');

const noAnswer = (text: string) => ({ answer: { text, figures: [] }, actions: [] as ReasonerAction[] });

function findWorkflow(text: string, workflows: WorkflowInfo[]): WorkflowInfo | null {
  const lower = text.toLowerCase();
  const scored = workflows
    .map((workflow) => {
      const words = `${workflow.key.replace(/[-_]/g, ' ')} ${workflow.name}`.toLowerCase().split(/\s+/).filter((word) => word.length > 3);
      return { workflow, score: lower.includes(workflow.key.toLowerCase()) || lower.includes(workflow.name.toLowerCase()) ? 100 : words.filter((word) => lower.includes(word)).length };
    })
    .filter((entry) => entry.score > 0)
    .sort((a, b) => b.score - a.score);
  return scored[0]?.workflow ?? null;
}

async function runWorkflowIntent(input: ReasonerInput, intent: Extract<Intent, { kind: 'workflow-run' | 'workflow-list' }>) {
  const workflows = (await input.data.listWorkflows(input.workspaceId)).filter((workflow) => workflow.enabled);
  const catalogue = workflows.map((workflow) => `- ${workflow.name} (${workflow.key}): ${workflow.description}`).join('\n');
  if (intent.kind === 'workflow-list') return noAnswer(workflows.length ? `Workflows you can run:\n${catalogue}` : 'This workspace has no enabled workflow.');
  const workflow = findWorkflow(intent.text, workflows);
  if (!workflow) return noAnswer(`I could not tell which workflow you mean. Available:\n${catalogue || '(none)'}`);
  const verb = intent.mode === 'propose' ? 'I propose running' : 'You asked to run';
  const text = `${verb} the workflow "${workflow.name}" (${workflow.key}). Nothing runs until a person approves the request in the approvals list of the console (or the widget); typing "yes" here does not approve it.`;
  const action: ReasonerAction = { kind: 'approval', title: `Run workflow ${workflow.name}`, summary: `Requested from chat: "${intent.text.slice(0, 200)}"`, action: { kind: 'workflow', name: workflow.key, args: {} } };
  return { answer: { text, figures: [] }, actions: [action] };
}

function dashboardIntent(intent: Extract<Intent, { kind: 'dashboard' }>, text: string) {
  if (!intent.metric) return noAnswer('Which metric should the dashboard show? For example: "add churn rate to the dashboard".');
  const definition = metricDefinitions[intent.metric]!;
  const panel = { id: `metric-${definition.key}`, type: 'metric', title: definition.name, metric: definition.key, interval: 'month' };
  const patch: JsonPatchOperation[] = [{ op: 'add', path: '/panels/-', value: panel }];
  return { answer: { text: `Adding a "${definition.name}" panel to ${intent.context}.`, figures: [] }, actions: [{ kind: 'ui-patch' as const, context: intent.context, patch, request: text }] };
}

function readToolActions(input: ReasonerInput): ReasonerAction[] {
  return input.readTools
    .filter((tool) => tool.readOnly && /incident|ticket|issue|alert/i.test(tool.name))
    .slice(0, 2)
    .map((tool) => ({ kind: 'read-tool', tool: tool.name, args: {} }));
}

function stepFor(input: ReasonerInput, context: MetricQuestionContext, intent: Intent): ReasonerStep {
  const ops = (goal: string, run: () => Promise<Answer>, actions: ReasonerAction[] = []): ReasonerStep => ({
    agent: 'ops-intelligence', goal, run: async () => ({ answer: await run(), actions }),
  });
  switch (intent.kind) {
    case 'metric-value':
      return ops(`Compute ${intent.metric}`, () => answerMetricValue(context, intent.metric, intent.period, intent.segment));
    case 'metric-trend':
      return ops(`Trend of ${intent.metric}`, () => answerMetricTrend(context, intent.metric, intent.period, intent.segment));
    case 'compare':
      return ops(`Compare ${intent.metric} between periods`, () => answerComparison(context, intent.metric, intent.periods, intent.segment));
    case 'breakdown':
      return ops(`Break ${intent.metric} down by plan`, () => answerBreakdown(context, intent.metric, intent.period));
    case 'what-is-wrong':
      return ops('Find what is going wrong', () => answerWhatIsWrong(context, intent.period), readToolActions(input));
    case 'why':
      return ops(`Explain the change in ${intent.metric}`, () => answerWhy(context, intent.metric, intent.period, intent.claimed));
    case 'churned-customers':
      return ops('List churned customers', () => answerChurnedCustomers(context, intent.period));
    case 'at-risk':
      return ops('List customers at risk', () => answerAtRisk(context));
    case 'workflow-list':
    case 'workflow-run':
      return { agent: 'remediation', goal: intent.kind === 'workflow-list' ? 'List workflows' : 'Request a workflow run', run: () => runWorkflowIntent(input, intent) };
    case 'dashboard':
      return { agent: 'ui-designer', goal: 'Change the dashboard', run: () => Promise.resolve(dashboardIntent(intent, input.text)) };
    case 'confirmation':
      return { agent: 'planner', goal: 'Explain how approvals work', run: () => Promise.resolve(noAnswer('Typing "yes" in the chat approves nothing. Approvals are separate objects: open the approvals list in the console (or the widget) and approve or reject the pending request there.')) };
    case 'unknown':
      return { agent: 'planner', goal: 'Say what I can answer', run: () => Promise.resolve(noAnswer(`I did not understand that question, and I will not guess. I can answer: ${understood}.`)) };
    default: {
      const unreachable: never = intent;
      throw new Error(`Unhandled intent ${JSON.stringify(unreachable)}`);
    }
  }
}

/**
 * The built-in deterministic reasoner: parses the question with a small
 * intent grammar and plans one step that answers it from the workspace's
 * data. Every number comes from the data port through the signals metric
 * definitions; unknown questions get a plain "I did not understand".
 */
export async function planWithReasoner(input: ReasonerInput): Promise<{ intent: Intent; steps: ReasonerStep[] }> {
  const plans = await input.data.listPlans(input.workspaceId);
  const intent = parseIntent(input.text, { now: input.now, plans });
  const metric = 'metric' in intent ? intent.metric : null;
  if (metric && intent.kind !== 'dashboard' && !isAnswerableMetric(metric)) {
    return { intent: { kind: 'unknown' }, steps: [stepFor(input, { data: input.data, workspaceId: input.workspaceId, now: input.now, plans }, { kind: 'unknown' })] };
  }
  const context: MetricQuestionContext = { data: input.data, workspaceId: input.workspaceId, now: input.now, plans };
  return { intent, steps: [stepFor(input, context, intent)] };
}
