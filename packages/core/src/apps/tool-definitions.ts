import { z } from 'zod';
import type { StatusTexts } from './tool-meta';

/** How a tool reaches people: renders the widget, model-only, or a widget-only helper hidden from the model. */
export type ToolPresentation = 'widget' | 'model' | 'private';

/** MCP tool annotations; ChatGPT skips its confirmation for `readOnlyHint` tools, so they must be honest. */
export interface ToolAnnotations {
  readOnlyHint: boolean;
  destructiveHint: boolean;
  idempotentHint: boolean;
  openWorldHint: boolean;
}

/** One OpsPilot tool as the MCP endpoint publishes it (handlers live in the api package). */
export interface AppToolDefinition<Input extends z.ZodObject = z.ZodObject, Output extends z.ZodObject = z.ZodObject> {
  name: string;
  title: string;
  description: string;
  input: Input;
  output: Output;
  annotations: ToolAnnotations;
  presentation: ToolPresentation;
  texts: StatusTexts;
}

const readOnly: ToolAnnotations = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false };
const Severity = z.enum(['info', 'warning', 'critical']);
const IncidentStatus = z.enum(['open', 'acknowledged', 'resolved']);

export const WorkspaceOverviewResult = z.object({
  workspaceName: z.string(), currency: z.string(), mrrCents: z.number(), payingCustomers: z.number(), customers: z.number(),
  openIncidents: z.number(), activeUsersLastDay: z.number().nullable(), asOf: z.string(),
});
export type WorkspaceOverviewResult = z.infer<typeof WorkspaceOverviewResult>;

export const MetricLookupInput = z.object({
  metric: z.string().min(1).max(64).describe('Metric key, e.g. mrr, active_customers, churn_rate, api_error_rate'),
  days: z.number().int().min(1).max(365).default(30).describe('How many days back from now'),
  interval: z.enum(['day', 'week', 'month']).default('day'),
  segment: z.string().min(1).max(64).optional().describe('A plan or segment name, for segmentable metrics'),
});
export type MetricLookupInput = z.infer<typeof MetricLookupInput>;
export const MetricLookupResult = z.object({
  metric: z.string(), name: z.string(), unit: z.string(), interval: z.string(), segment: z.string().nullable(), from: z.string(), to: z.string(),
  latest: z.number().nullable(), previous: z.number().nullable(), changeRatio: z.number().nullable(), pointCount: z.number().int(),
});
export type MetricLookupResult = z.infer<typeof MetricLookupResult>;

export const ListIncidentsInput = z.object({
  status: IncidentStatus.optional().describe('Only incidents in this state'),
  limit: z.number().int().min(1).max(20).default(5),
});
export type ListIncidentsInput = z.infer<typeof ListIncidentsInput>;
const IncidentSummary = z.object({ id: z.string(), title: z.string(), status: IncidentStatus, severity: Severity, startedAt: z.string(), metrics: z.array(z.string()) });
export const ListIncidentsResult = z.object({
  incidents: z.array(IncidentSummary),
  anomalies: z.array(z.object({
    id: z.string(), metric: z.string(), severity: Severity, direction: z.enum(['up', 'down']), actual: z.number(), expected: z.number(),
    windowStart: z.string(), incidentId: z.string().nullable(),
  })),
});
export type ListIncidentsResult = z.infer<typeof ListIncidentsResult>;

export const IncidentIdInput = z.object({ incidentId: z.string().min(1).max(64) });
export type IncidentIdInput = z.infer<typeof IncidentIdInput>;
export const ExplainIncidentResult = z.object({ incident: IncidentSummary, explanation: z.string(), anomalyCount: z.number().int(), context: z.string() });
export type ExplainIncidentResult = z.infer<typeof ExplainIncidentResult>;

export const DashboardInput = z.object({
  context: z.string().min(1).max(80).default('main_dashboard').describe('main_dashboard, revenue, reliability or incident:<id>'),
});
export type DashboardInput = z.infer<typeof DashboardInput>;
export const DashboardResult = z.object({
  context: z.string(), version: z.number().int(), title: z.string(),
  panels: z.array(z.object({ id: z.string(), type: z.string(), title: z.string() })),
});
export type DashboardResult = z.infer<typeof DashboardResult>;

export const ProposeWorkflowInput = z.object({
  workflowKey: z.string().min(1).max(80).describe('Key of the workflow, e.g. failed-payment-follow-up'),
  reason: z.string().min(3).max(500).describe('Why it should run; shown to the approver'),
  input: z.record(z.string(), z.unknown()).optional().describe('Run input for the workflow'),
});
export type ProposeWorkflowInput = z.infer<typeof ProposeWorkflowInput>;
export const ProposeWorkflowResult = z.object({
  approvalId: z.string(), state: z.literal('pending'), workflowKey: z.string(), workflowName: z.string(), expiresAt: z.string(),
});
export type ProposeWorkflowResult = z.infer<typeof ProposeWorkflowResult>;

export const AcknowledgeIncidentResult = z.object({ incidentId: z.string(), status: IncidentStatus, acknowledgedAt: z.string().nullable() });
export type AcknowledgeIncidentResult = z.infer<typeof AcknowledgeIncidentResult>;

/** OpsPilot's tools, in the order hosts list them. Names are stable: hosts and prompts refer to them. */
export const appTools = {
  workspaceOverview: {
    name: 'workspace_overview', title: 'Workspace overview', presentation: 'model', annotations: readOnly,
    description: 'Headline numbers of the workspace the API key belongs to: MRR, customers, open incidents, active users.',
    input: z.object({}), output: WorkspaceOverviewResult, texts: { invoking: 'Reading the workspace…', invoked: 'Workspace read' },
  },
  metricLookup: {
    name: 'metric_lookup', title: 'Metric lookup', presentation: 'model', annotations: readOnly,
    description: 'A metric over recent days: latest value, previous period and change. Series points are attached for the widget.',
    input: MetricLookupInput, output: MetricLookupResult, texts: { invoking: 'Looking up the metric…', invoked: 'Metric found' },
  },
  listIncidents: {
    name: 'list_incidents', title: 'Anomalies and incidents', presentation: 'model', annotations: readOnly,
    description: 'Recent incidents (grouped anomalies) and the latest detected anomalies, newest first.',
    input: ListIncidentsInput, output: ListIncidentsResult, texts: { invoking: 'Checking incidents…', invoked: 'Incidents listed' },
  },
  explainIncident: {
    name: 'explain_incident', title: 'Explain an incident', presentation: 'widget', annotations: readOnly,
    description: 'Explains one incident from its anomalies (expected versus actual values) and shows its dashboard.',
    input: IncidentIdInput, output: ExplainIncidentResult, texts: { invoking: 'Explaining the incident…', invoked: 'Incident explained' },
  },
  showDashboard: {
    name: 'show_dashboard', title: 'Show a dashboard', presentation: 'widget', annotations: readOnly,
    description: 'Shows the OpsPilot dashboard of a context (main_dashboard, revenue, reliability, incident:<id>) as a widget.',
    input: DashboardInput, output: DashboardResult, texts: { invoking: 'Building the dashboard…', invoked: 'Dashboard ready' },
  },
  proposeWorkflow: {
    name: 'propose_workflow', title: 'Propose a workflow run',
    presentation: 'model', annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: true },
    description: 'Asks to run a remediation workflow. It never runs at once: it returns a pending approval handle that a workspace member approves in OpsPilot.',
    input: ProposeWorkflowInput, output: ProposeWorkflowResult, texts: { invoking: 'Requesting approval…', invoked: 'Approval requested' },
  },
  refreshDashboard: {
    name: 'refresh_dashboard', title: 'Refresh the dashboard', presentation: 'private', annotations: readOnly,
    description: 'Widget helper: re-reads a dashboard context with fresh panel data.',
    input: DashboardInput, output: DashboardResult, texts: { invoking: 'Refreshing…', invoked: 'Refreshed' },
  },
  acknowledgeIncident: {
    name: 'acknowledge_incident', title: 'Acknowledge an incident', presentation: 'private',
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    description: 'Widget helper: marks an open incident as acknowledged.',
    input: IncidentIdInput, output: AcknowledgeIncidentResult, texts: { invoking: 'Acknowledging…', invoked: 'Acknowledged' },
  },
} as const satisfies Record<string, AppToolDefinition>;

/** All tool definitions as a list. */
export const appToolList: readonly AppToolDefinition[] = Object.values(appTools);

/** Names of the tools whose results render the widget. */
export const widgetToolNames: readonly string[] = appToolList.filter((tool) => tool.presentation === 'widget').map((tool) => tool.name);
