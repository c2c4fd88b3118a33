import { z } from 'zod';

/** Node ids double as template roots (`nodes.<id>.output`), so they must be identifiers. */
export const NodeId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/, 'Node ids start with a letter and use letters, digits and underscores only');

const Position = z.object({ x: z.number(), y: z.number() });

const nodeBase = {
  id: NodeId,
  name: z.string().max(200).optional(),
  /** Canvas position; the engine ignores it. */
  position: Position.optional(),
};

/** Matches an anomaly or incident by metric, minimum severity and labels. */
export const SignalMatch = z.object({
  /** Only anomalies, or only incidents; both when absent. */
  kind: z.enum(['anomaly', 'incident']).optional(),
  metric: z.string().min(1).optional(),
  severity: z.enum(['info', 'warning', 'critical']).optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
export type SignalMatch = z.infer<typeof SignalMatch>;

export const TriggerConfig = z.discriminatedUnion('type', [
  z.object({ type: z.literal('manual') }),
  z.object({ type: z.literal('cron'), cron: z.string().min(1), timezone: z.string().min(1).default('UTC') }),
  z.object({ type: z.literal('anomaly'), match: SignalMatch.default({}) }),
  z.object({ type: z.literal('incident'), match: SignalMatch.default({}) }),
  z.object({ type: z.literal('webhook') }),
]);
export type TriggerConfig = z.infer<typeof TriggerConfig>;

/** Exponential backoff: delay = min(maxDelayMs, initialDelayMs * factor^(attempt-1)) +/- jitter. */
export const RetryPolicy = z.object({
  maxAttempts: z.number().int().min(1).max(20).default(3),
  initialDelayMs: z.number().int().min(0).default(1_000),
  maxDelayMs: z.number().int().min(0).default(60_000),
  factor: z.number().min(1).max(10).default(2),
  /** Fraction of the delay randomised either way (0.2 = +/-20%). */
  jitter: z.number().min(0).max(1).default(0.2),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;

export const TriggerNode = z.object({ ...nodeBase, kind: z.literal('trigger'), trigger: TriggerConfig });
export const ActionNode = z.object({
  ...nodeBase,
  kind: z.literal('action'),
  /** A gateway tool `<connector>__<tool>` or an internal action such as `notify`. */
  tool: z.string().min(1).max(200),
  /** Values may hold templates such as `{{ nodes.findInvoices.output.count }}`. */
  input: z.record(z.string(), z.unknown()).default({}),
  retry: RetryPolicy.optional(),
  timeoutMs: z.number().int().min(1).max(3_600_000).optional(),
});
export const ConditionNode = z.object({ ...nodeBase, kind: z.literal('condition'), expression: z.string().min(1).max(2_000) });
export const ParallelNode = z.object({ ...nodeBase, kind: z.literal('parallel') });
export const JoinNode = z.object({ ...nodeBase, kind: z.literal('join') });
export const DelayNode = z.object({ ...nodeBase, kind: z.literal('delay'), durationMs: z.number().int().min(0).max(30 * 86_400_000) });
export const ApprovalNode = z.object({
  ...nodeBase,
  kind: z.literal('approval'),
  title: z.string().min(1).max(200),
  /** May hold templates; shown to the approver. */
  summary: z.string().max(4_000).default(''),
  expiresInMinutes: z.number().int().min(1).max(30 * 24 * 60).default(24 * 60),
});
export const TransformNode = z.object({
  ...nodeBase,
  kind: z.literal('transform'),
  /** A JSON value whose strings may hold templates; the resolved value is the node's output. */
  output: z.unknown(),
});

export const WorkflowNode = z.discriminatedUnion('kind', [
  TriggerNode,
  ActionNode,
  ConditionNode,
  ParallelNode,
  JoinNode,
  DelayNode,
  ApprovalNode,
  TransformNode,
]);
export type WorkflowNode = z.infer<typeof WorkflowNode>;
export type WorkflowNodeKind = WorkflowNode['kind'];
export type ActionNode = z.infer<typeof ActionNode>;
export type ApprovalNode = z.infer<typeof ApprovalNode>;
export type TriggerNode = z.infer<typeof TriggerNode>;

/**
 * `true`/`false` leave a condition; `approved`/`rejected` leave an approval
 * (an unlabelled edge out of an approval means `approved`).
 */
export const EdgeLabel = z.enum(['true', 'false', 'approved', 'rejected']);
export type EdgeLabel = z.infer<typeof EdgeLabel>;

export const WorkflowEdge = z.object({ from: NodeId, to: NodeId, label: EdgeLabel.optional() });
export type WorkflowEdge = z.infer<typeof WorkflowEdge>;

/** A workflow graph as stored in WorkflowVersion.definition. */
export const WorkflowDefinition = z.object({
  nodes: z.array(WorkflowNode).min(1).max(200),
  edges: z.array(WorkflowEdge).max(1_000).default([]),
});
export type WorkflowDefinition = z.infer<typeof WorkflowDefinition>;
/** What callers may pass before defaults are applied. */
export type WorkflowDefinitionInput = z.input<typeof WorkflowDefinition>;
