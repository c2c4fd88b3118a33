import { TRPCError } from '@trpc/server';
import {
  appTools, type AppToolDefinition, type ExplainIncidentResult, type ListIncidentsResult, type MetricLookupResult, type ProposeWorkflowResult,
  type WorkspaceOverviewResult,
} from '@opspilot/core/apps';
import { formatMetricValue } from '@opspilot/core/signals';
import type { Runtime } from '../runtime';
import { readDashboard, type McpCaller } from './dashboard';

const dayMs = 86_400_000;
/** How long a workflow proposal waits for a decision before it expires. */
export const proposalLifetimeMs = dayMs;

/** Who calls and through what: the key's workspace and a tRPC caller built from the key's context. */
export interface ToolContext {
  runtime: Runtime;
  caller: McpCaller;
  workspaceId: string;
  apiKeyId: string;
  scopes: string[];
}

/** A tool's answer in the three lanes. */
export interface ToolLanes {
  text: string;
  structured: Record<string, unknown>;
  meta?: Record<string, unknown>;
}

export interface ToolHandler {
  definition: AppToolDefinition;
  run(args: unknown, context: ToolContext): Promise<ToolLanes>;
}

/** Tool answers state figures like chat answers: the precise style of the shared metric formatter. */
const money = (cents: number, currency: string) => formatMetricValue({ unit: 'cents' }, cents, { style: 'precise', currency });

async function runOverview(_args: unknown, { caller, workspaceId }: ToolContext): Promise<ToolLanes> {
  const overview = await caller.workspace.overview({ workspaceId });
  const structured: WorkspaceOverviewResult = {
    workspaceName: overview.workspace.name, currency: overview.workspace.currency, mrrCents: overview.mrrCents, payingCustomers: overview.payingCustomers,
    customers: overview.customers, openIncidents: overview.openIncidents, activeUsersLastDay: overview.activeUsersLastDay, asOf: overview.asOf,
  };
  const text = `${structured.workspaceName}: MRR ${money(structured.mrrCents, structured.currency)}, ${structured.payingCustomers} paying of ${structured.customers} customers, ${structured.openIncidents} open incidents.`;
  return { text, structured };
}

async function runMetricLookup(args: unknown, { caller, workspaceId, runtime }: ToolContext): Promise<ToolLanes> {
  const input = appTools.metricLookup.input.parse(args);
  const to = runtime.clock.now();
  const from = new Date(to.getTime() - input.days * dayMs);
  const series = await caller.signals.metrics({ workspaceId, metric: input.metric, from, to, interval: input.interval, ...(input.segment ? { segment: input.segment } : {}) });
  const values = series.points.map((point) => point.value).filter((value): value is number => value !== null);
  const latest = values.at(-1) ?? null;
  const previous = values.at(-2) ?? null;
  const structured: MetricLookupResult = {
    metric: series.definition.key, name: series.definition.name, unit: series.definition.unit, interval: series.interval, segment: series.segment,
    from: from.toISOString(), to: to.toISOString(), latest, previous,
    changeRatio: latest !== null && previous ? (latest - previous) / Math.abs(previous) : null, pointCount: series.points.length,
  };
  const text = `${structured.name}: latest ${formatMetricValue(series.definition, latest, { style: 'precise', missing: 'no value' })} (${series.points.length} ${input.interval} points over ${input.days} days).`;
  return { text, structured, meta: { 'opspilot/series': { definition: series.definition, points: series.points } } };
}

async function runListIncidents(args: unknown, { caller, workspaceId }: ToolContext): Promise<ToolLanes> {
  const input = appTools.listIncidents.input.parse(args);
  const incidents = await caller.signals.incidents({ workspaceId, limit: input.limit, ...(input.status ? { status: input.status } : {}) });
  const anomalies = await caller.signals.anomalies({ workspaceId, limit: input.limit * 2 });
  const structured: ListIncidentsResult = {
    incidents: incidents.items.map(({ id, title, status, severity, startedAt, metrics }) => ({ id, title, status, severity, startedAt, metrics })),
    anomalies: anomalies.items.map(({ id, metric, severity, direction, actual, expected, windowStart, incidentId }) => ({ id, metric, severity, direction, actual, expected, windowStart, incidentId })),
  };
  const open = structured.incidents.filter((incident) => incident.status === 'open').length;
  return { text: `${structured.incidents.length} incidents (${open} open) and ${structured.anomalies.length} recent anomalies.`, structured };
}

async function runExplainIncident(args: unknown, { caller, workspaceId }: ToolContext): Promise<ToolLanes> {
  const { incidentId } = appTools.explainIncident.input.parse(args);
  const incident = await caller.signals.incident({ workspaceId, incidentId });
  const lines = incident.anomalies.slice(0, 5).map((anomaly) => {
    const value = (amount: number) => formatMetricValue({ unit: anomaly.unit, key: anomaly.metric }, amount, { style: 'precise' });
    return `${anomaly.metricName}${anomaly.segment ? ` (${anomaly.segment})` : ''}${anomaly.valueWindow ? `, ${anomaly.valueWindow},` : ''} went ${anomaly.direction} to ${value(anomaly.actual)} against an expected ${value(anomaly.expected)} (band ${value(anomaly.lower)}–${value(anomaly.upper)}, ${anomaly.severity}) from ${anomaly.windowStart}.`;
  });
  const explanation = [incident.summary, ...lines].filter(Boolean).join(' ');
  const context = `incident:${incident.id}`;
  const dashboard = await readDashboard(caller, workspaceId, context);
  const structured: ExplainIncidentResult = {
    incident: { id: incident.id, title: incident.title, status: incident.status, severity: incident.severity, startedAt: incident.startedAt, metrics: incident.metrics },
    explanation, anomalyCount: incident.anomalies.length, context,
  };
  return { text: `${incident.title} (${incident.status}, ${incident.severity}): ${explanation}`.slice(0, 1_000), structured, meta: { ...dashboard.meta, 'opspilot/incidentSeries': incident.series } };
}

/**
 * Creates a pending Approval for a workflow run and returns its handle at
 * once: MCP clients time out after about a minute, a human decision takes
 * longer. The approval's payload (kind `workflow-run-request`) is what the
 * workflows router acts on when a member approves it: it starts the run as
 * the approver, once (api/src/workflows/approval-followups.ts).
 */
async function runProposeWorkflow(args: unknown, context: ToolContext): Promise<ToolLanes> {
  const input = appTools.proposeWorkflow.input.parse(args);
  if (!context.scopes.includes('write') && !context.scopes.includes('admin')) {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Proposing a workflow needs an API key with the write scope.' });
  }
  const workflows = await context.runtime.workflows.listWorkflows(context.workspaceId);
  const workflow = workflows.find((candidate) => candidate.key === input.workflowKey);
  if (!workflow) {
    const known = workflows.map((candidate) => candidate.key).join(', ') || 'none';
    throw new TRPCError({ code: 'NOT_FOUND', message: `Workflow ${input.workflowKey} not found. This workspace has: ${known}.` });
  }
  if (!workflow.enabled) throw new TRPCError({ code: 'PRECONDITION_FAILED', message: `Workflow ${workflow.key} is disabled.` });
  const expiresAt = new Date(context.runtime.clock.now().getTime() + proposalLifetimeMs);
  const approval = await context.runtime.db.prisma.approval.create({
    data: {
      workspaceId: context.workspaceId, title: `Run ${workflow.name}`, summary: input.reason, requestedBy: `apikey:${context.apiKeyId}`, expiresAt,
      payload: { kind: 'workflow-run-request', source: 'mcp', workflowKey: workflow.key, workflowId: workflow.id, input: (input.input ?? {}) as Record<string, never> },
    },
    select: { id: true },
  });
  const structured: ProposeWorkflowResult = { approvalId: approval.id, state: 'pending', workflowKey: workflow.key, workflowName: workflow.name, expiresAt: expiresAt.toISOString() };
  return { text: `Approval ${approval.id} requested to run "${workflow.name}"; it runs only after a member approves it in OpsPilot (expires ${structured.expiresAt}).`, structured };
}

async function runDashboard(args: unknown, { caller, workspaceId }: ToolContext): Promise<ToolLanes> {
  const { context } = appTools.showDashboard.input.parse(args);
  const dashboard = await readDashboard(caller, workspaceId, context);
  return { text: dashboard.text, structured: dashboard.structured, meta: dashboard.meta };
}

async function runAcknowledge(args: unknown, { caller, workspaceId }: ToolContext): Promise<ToolLanes> {
  const { incidentId } = appTools.acknowledgeIncident.input.parse(args);
  const incident = await caller.signals.acknowledge({ workspaceId, incidentId });
  return { text: `Incident ${incident.id} is ${incident.status}.`, structured: { incidentId: incident.id, status: incident.status, acknowledgedAt: incident.acknowledgedAt } };
}

/** Every tool with its handler; the endpoint registers exactly these. */
export const toolHandlers: readonly ToolHandler[] = [
  { definition: appTools.workspaceOverview, run: runOverview },
  { definition: appTools.metricLookup, run: runMetricLookup },
  { definition: appTools.listIncidents, run: runListIncidents },
  { definition: appTools.explainIncident, run: runExplainIncident },
  { definition: appTools.showDashboard, run: runDashboard },
  { definition: appTools.proposeWorkflow, run: runProposeWorkflow },
  { definition: appTools.refreshDashboard, run: runDashboard },
  { definition: appTools.acknowledgeIncident, run: runAcknowledge },
];
