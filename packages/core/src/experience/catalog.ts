import { z } from 'zod';

/** Ranges a panel may ask for, ending now. */
export const panelRanges = ['1d', '7d', '30d', '90d', '180d', '365d'] as const;
export type PanelRange = (typeof panelRanges)[number];

/** Days in each range, for turning a query into `{from, to}`. */
export const rangeDays: Record<PanelRange, number> = { '1d': 1, '7d': 7, '30d': 30, '90d': 90, '180d': 180, '365d': 365 };

const MetricKey = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a metric key such as mrr or error_rate');

/**
 * A metric series query. Panels declare what they show; the data is resolved
 * on read (`ui.panelData`), so a stored spec never carries stale numbers.
 * `groupBy: 'plan'` asks for one series per plan.
 */
export const MetricQuery = z.object({
  kind: z.literal('metric'),
  metric: MetricKey,
  interval: z.enum(['day', 'week', 'month']),
  range: z.enum(panelRanges),
  segment: z.string().min(1).max(64).optional(),
  groupBy: z.literal('plan').optional(),
}).strict();
export type MetricQuery = z.infer<typeof MetricQuery>;

/** Incidents, open ones first; `incidentId` pins one. */
export const IncidentQuery = z.object({
  kind: z.literal('incidents'),
  status: z.enum(['open', 'all']).default('open'),
  incidentId: z.string().min(1).max(64).optional(),
  limit: z.number().int().min(1).max(20).default(5),
}).strict();
export type IncidentQuery = z.infer<typeof IncidentQuery>;

/** Rows from a named source of the workspace's own data. */
export const tableSources = ['top-customers', 'recent-deploys', 'open-tickets', 'failed-invoices', 'mrr-movements'] as const;
export const TableQuery = z.object({
  kind: z.literal('table'),
  source: z.enum(tableSources),
  limit: z.number().int().min(1).max(50).default(10),
}).strict();
export type TableQuery = z.infer<typeof TableQuery>;

/** Monthly sign-up cohorts and the share still paying after n months. */
export const CohortQuery = z.object({ kind: z.literal('cohort'), months: z.number().int().min(2).max(12).default(6) }).strict();
export type CohortQuery = z.infer<typeof CohortQuery>;

export const ApprovalQuery = z.object({ kind: z.literal('approvals'), status: z.literal('pending').default('pending') }).strict();
export const WorkflowQuery = z.object({ kind: z.literal('workflow'), workflowKey: z.string().min(1).max(64), runId: z.string().min(1).max(64).optional() }).strict();

export const DataQuery = z.discriminatedUnion('kind', [MetricQuery, IncidentQuery, TableQuery, CohortQuery, ApprovalQuery, WorkflowQuery]);
export type DataQuery = z.infer<typeof DataQuery>;

const Title = z.string().trim().min(1).max(120);
const Description = z.string().max(400).optional();

/** One number with its change against the previous period. */
export const MetricTilePanel = z.object({ type: z.literal('metric-tile'), title: Title, description: Description, query: MetricQuery }).strict();
/** A line/area over time with the expected band and anomaly markers. */
export const TimeSeriesPanel = z.object({
  type: z.literal('time-series'), title: Title, description: Description, query: MetricQuery,
  showExpectedBand: z.boolean().default(true), showAnomalies: z.boolean().default(true),
}).strict();
/** Bars per period (or per stage when `funnel`). */
export const BarPanel = z.object({ type: z.literal('bar'), title: Title, description: Description, query: z.union([MetricQuery, TableQuery]), funnel: z.boolean().default(false) }).strict();
export const CohortTablePanel = z.object({ type: z.literal('cohort-table'), title: Title, description: Description, query: CohortQuery }).strict();
export const TablePanel = z.object({ type: z.literal('table'), title: Title, description: Description, query: TableQuery }).strict();
export const IncidentPanel = z.object({ type: z.literal('incident'), title: Title, description: Description, query: IncidentQuery }).strict();
export const ApprovalPanel = z.object({ type: z.literal('approval'), title: Title, description: Description, query: ApprovalQuery }).strict();
export const WorkflowCanvasPanel = z.object({ type: z.literal('workflow-canvas'), title: Title, description: Description, query: WorkflowQuery }).strict();
/** Text written by the designer; never raw HTML (rendered as plain paragraphs). */
export const MarkdownPanel = z.object({ type: z.literal('markdown'), title: Title.optional(), body: z.string().max(4_000) }).strict();
/** Groups children in order; the root is one of these. */
export const SectionElement = z.object({ type: z.literal('section'), title: Title.optional(), children: z.array(z.string()).max(64) }).strict();

export const PanelElement = z.discriminatedUnion('type', [
  MetricTilePanel, TimeSeriesPanel, BarPanel, CohortTablePanel, TablePanel, IncidentPanel, ApprovalPanel, WorkflowCanvasPanel, MarkdownPanel, SectionElement,
]);
export type PanelElement = z.infer<typeof PanelElement>;
export type PanelType = PanelElement['type'];

/** Every element type of the catalog, for renderers that must cover them all. */
export const panelTypes = ['metric-tile', 'time-series', 'bar', 'cohort-table', 'table', 'incident', 'approval', 'workflow-canvas', 'markdown', 'section'] as const satisfies readonly PanelType[];
