import type { ApprovalNode, WorkflowDefinition, WorkflowEdge, WorkflowNode } from './definition';
import { buildGraph, type WorkflowGraph } from './graph';
import type { RunStatus, StepRecord, StepStatus } from './ports';

/** Statuses after which a step never changes again. */
export const finishedStepStatuses: ReadonlySet<StepStatus> = new Set(['succeeded', 'failed', 'skipped', 'cancelled']);

export interface StepTransition {
  stepId: string;
  nodeId: string;
  status: 'ready' | 'skipped';
  availableAt: Date;
}

export interface RunCompletion {
  status: Extract<RunStatus, 'succeeded' | 'failed' | 'cancelled'>;
  output: Record<string, unknown>;
  error: string | null;
}

export interface AdvancePlan {
  transitions: StepTransition[];
  completion: RunCompletion | null;
}

/** The approval decision a finished approval step recorded. */
export function readDecision(step: StepRecord | undefined): string | undefined {
  const output = step?.output as { decision?: unknown } | null | undefined;
  return typeof output?.decision === 'string' ? output.decision : undefined;
}

/** Whether a finished source step passes control along `edge` (branch labels decide for conditions and approvals). */
function isEdgeActive(edge: WorkflowEdge, source: WorkflowNode | undefined, step: StepRecord | undefined): boolean {
  if (!source || step?.status !== 'succeeded') return false;
  if (source.kind === 'condition') {
    const result = (step.output as { result?: unknown } | null)?.result === true;
    return edge.label === (result ? 'true' : 'false');
  }
  if (source.kind === 'approval') {
    const approved = readDecision(step) === 'approved';
    return approved ? edge.label !== 'rejected' : edge.label === 'rejected';
  }
  return true;
}

function decideTransition(node: WorkflowNode, graph: WorkflowGraph, byNode: Map<string, StepRecord>): 'ready' | 'skipped' | undefined {
  const incoming = graph.incoming.get(node.id) ?? [];
  if (incoming.length === 0) return undefined;
  // Every node waits for all its incoming edges: that is what makes a join wait for every branch.
  const resolved = incoming.every((edge) => {
    const status = byNode.get(edge.from)?.status;
    return status === 'succeeded' || status === 'skipped';
  });
  if (!resolved) return undefined;
  const active = incoming.some((edge) => isEdgeActive(edge, graph.nodes.get(edge.from), byNode.get(edge.from)));
  return active ? 'ready' : 'skipped';
}

function summariseCompletion(definition: WorkflowDefinition, graph: WorkflowGraph, byNode: Map<string, StepRecord>): RunCompletion {
  const failed = [...byNode.values()].find((step) => step.status === 'failed');
  if (failed) return { status: 'failed', output: {}, error: failed.error ?? `Step ${failed.nodeId} failed` };
  const refused = definition.nodes.find(
    (node): node is ApprovalNode =>
      node.kind === 'approval' &&
      byNode.get(node.id)?.status === 'succeeded' &&
      readDecision(byNode.get(node.id)) !== 'approved' &&
      !(graph.outgoing.get(node.id) ?? []).some((edge) => edge.label === 'rejected'),
  );
  if (refused) {
    return { status: 'cancelled', output: {}, error: `Approval "${refused.id}" was ${readDecision(byNode.get(refused.id)) ?? 'refused'}` };
  }
  const output: Record<string, unknown> = {};
  for (const node of definition.nodes) {
    const step = byNode.get(node.id);
    if ((graph.outgoing.get(node.id) ?? []).length === 0 && step?.status === 'succeeded') output[node.id] = step.output;
  }
  return { status: 'succeeded', output, error: null };
}

/**
 * Decides which pending steps become ready or skipped after a step finished,
 * and whether the run is complete. Pure: the caller applies the plan inside
 * the run lock. Skips propagate: a node all of whose incoming edges are
 * inactive (an untaken branch) is skipped, and so are its successors.
 */
export function planRunAdvance(definition: WorkflowDefinition, steps: readonly StepRecord[], now: Date): AdvancePlan {
  const graph = buildGraph(definition);
  const byNode = new Map(steps.map((step) => [step.nodeId, { ...step }]));
  const transitions: StepTransition[] = [];
  let changed = true;
  while (changed) {
    changed = false;
    for (const node of definition.nodes) {
      const step = byNode.get(node.id);
      if (step?.status !== 'pending') continue;
      const status = decideTransition(node, graph, byNode);
      if (!status) continue;
      const availableAt = status === 'ready' && node.kind === 'delay' ? new Date(now.getTime() + node.durationMs) : now;
      step.status = status;
      step.availableAt = availableAt;
      transitions.push({ stepId: step.id, nodeId: node.id, status, availableAt });
      changed = true;
    }
  }
  const open = [...byNode.values()].some((step) => !finishedStepStatuses.has(step.status));
  return { transitions, completion: open ? null : summariseCompletion(definition, graph, byNode) };
}

/** Id of the approval node inserted in front of a suggested run's actions. */
export const approvalGateNodeId = 'suggestionGate';

/**
 * Suggest mode: the same workflow with an approval node between its
 * triggers and everything after them, so nothing acts before a human approves.
 */
export function insertApprovalGate(definition: WorkflowDefinition): WorkflowDefinition {
  const triggerIds = new Set(definition.nodes.filter((node) => node.kind === 'trigger').map((node) => node.id));
  const gate: WorkflowNode = {
    id: approvalGateNodeId,
    kind: 'approval',
    title: 'Approve the suggested remediation',
    summary: 'A remediation policy suggests running this workflow. Nothing runs until a person approves.',
    expiresInMinutes: 24 * 60,
  };
  const fromTriggers = definition.edges.filter((edge) => triggerIds.has(edge.from));
  const targets = [...new Set(fromTriggers.map((edge) => edge.to))];
  const edges = [
    ...definition.edges.filter((edge) => !triggerIds.has(edge.from)),
    ...[...triggerIds].map((from) => ({ from, to: approvalGateNodeId })),
    ...targets.map((to) => ({ from: approvalGateNodeId, to })),
  ];
  return { nodes: [...definition.nodes, gate], edges };
}
