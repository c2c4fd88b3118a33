import { AppError } from '../errors';
import { internalActionNames } from './actions';
import { computeNextRunAt } from './cron';
import { WorkflowDefinition, type WorkflowNode } from './definition';
import { collectExpressionReferences, expressionFunctionNames } from './expression-evaluator';
import { parseExpression, type ExpressionNode } from './expression-parser';
import { approvalGateNodeId } from './run-advance';
import { buildGraph, collectAncestors, collectDescendants, findCycle, type WorkflowGraph } from './graph';
import { parseTemplateExpressions, visitTemplateStrings } from './template';

export interface ValidateWorkflowOptions {
  /** Gateway tool names (`<connector>__<tool>`) the workspace may call; internal actions are always known. */
  knownTools: Iterable<string>;
}

interface Issue {
  path: string;
  message: string;
}

const allowedRoots = new Set(['nodes', 'input', 'run']);

function checkExpression(expression: ExpressionNode, node: WorkflowNode, graph: WorkflowGraph, path: string, issues: Issue[]): void {
  const references = collectExpressionReferences(expression);
  const ancestors = collectAncestors(graph, node.id);
  for (const root of references.roots) {
    if (!allowedRoots.has(root)) issues.push({ path, message: `Node "${node.id}": unknown name "${root}" (use nodes.<id>.output, input or run)` });
  }
  for (const name of references.functions) {
    if (!expressionFunctionNames.includes(name)) issues.push({ path, message: `Node "${node.id}": unknown function "${name}"` });
  }
  if (references.dynamic) issues.push({ path, message: `Node "${node.id}": node references must name the node (nodes.<id>)` });
  for (const referenced of references.nodeIds) {
    if (!graph.nodes.has(referenced)) issues.push({ path, message: `Node "${node.id}": template references unknown node "${referenced}"` });
    else if (!ancestors.has(referenced)) issues.push({ path, message: `Node "${node.id}": template references node "${referenced}", which is not upstream` });
  }
}

function checkTemplates(value: unknown, node: WorkflowNode, graph: WorkflowGraph, basePath: string, issues: Issue[]): void {
  visitTemplateStrings(value, basePath, (text, path) => {
    try {
      for (const expression of parseTemplateExpressions(text)) checkExpression(expression, node, graph, path, issues);
    } catch (error) {
      issues.push({ path, message: `Node "${node.id}": ${error instanceof Error ? error.message : String(error)}` });
    }
  });
}

function checkNodeContent(node: WorkflowNode, index: number, graph: WorkflowGraph, knownTools: Set<string>, issues: Issue[]): void {
  const path = `nodes.${index}`;
  switch (node.kind) {
    case 'action':
      if (!knownTools.has(node.tool)) issues.push({ path: `${path}.tool`, message: `Node "${node.id}": unknown tool "${node.tool}"` });
      checkTemplates(node.input, node, graph, `${path}.input`, issues);
      return;
    case 'condition':
      try {
        checkExpression(parseExpression(node.expression), node, graph, `${path}.expression`, issues);
      } catch (error) {
        issues.push({ path: `${path}.expression`, message: `Node "${node.id}": ${error instanceof Error ? error.message : String(error)}` });
      }
      return;
    case 'transform':
      checkTemplates(node.output, node, graph, `${path}.output`, issues);
      return;
    case 'approval':
      checkTemplates(node.summary, node, graph, `${path}.summary`, issues);
      return;
    case 'trigger':
      if (node.trigger.type === 'cron') {
        try {
          computeNextRunAt(node.trigger.cron, node.trigger.timezone, new Date(0));
        } catch (error) {
          issues.push({ path: `${path}.trigger`, message: `Node "${node.id}": ${error instanceof Error ? error.message : String(error)}` });
        }
      }
      return;
    case 'parallel':
    case 'join':
    case 'delay':
      return;
  }
}

function checkEdges(definition: WorkflowDefinition, graph: WorkflowGraph, issues: Issue[]): void {
  definition.edges.forEach((edge, index) => {
    const path = `edges.${index}`;
    const source = graph.nodes.get(edge.from);
    if (!source) issues.push({ path, message: `Edge ${edge.from} -> ${edge.to}: node "${edge.from}" does not exist` });
    if (!graph.nodes.has(edge.to)) issues.push({ path, message: `Edge ${edge.from} -> ${edge.to}: node "${edge.to}" does not exist` });
    if (!source) return;
    if (graph.nodes.get(edge.to)?.kind === 'trigger') issues.push({ path, message: `Node "${edge.to}": a trigger cannot have incoming edges` });
    const allowed = source.kind === 'condition' ? ['true', 'false'] : source.kind === 'approval' ? ['approved', 'rejected', undefined] : [undefined];
    if (!allowed.includes(edge.label)) {
      const expected = source.kind === 'condition' ? 'label "true" or "false"' : source.kind === 'approval' ? 'label "approved" or "rejected"' : 'no label';
      issues.push({ path, message: `Node "${edge.from}": edge to "${edge.to}" needs ${expected}` });
    }
  });
}

function checkShape(definition: WorkflowDefinition, graph: WorkflowGraph, issues: Issue[]): void {
  const triggers = definition.nodes.filter((node) => node.kind === 'trigger').map((node) => node.id);
  if (triggers.length === 0) issues.push({ path: 'nodes', message: 'The workflow needs at least one trigger node' });
  const reachable = collectDescendants(graph, triggers);
  definition.nodes.forEach((node, index) => {
    const path = `nodes.${index}`;
    const incoming = graph.incoming.get(node.id)?.length ?? 0;
    const outgoing = graph.outgoing.get(node.id)?.length ?? 0;
    if (node.kind !== 'trigger' && incoming === 0) issues.push({ path, message: `Node "${node.id}" is dangling: nothing leads to it` });
    else if (node.kind !== 'trigger' && !reachable.has(node.id)) issues.push({ path, message: `Node "${node.id}" is unreachable from any trigger` });
    if (node.kind === 'trigger' && outgoing === 0 && definition.nodes.length > 1) issues.push({ path, message: `Node "${node.id}" is dangling: the trigger leads nowhere` });
    if (node.kind === 'condition' && outgoing === 0) issues.push({ path, message: `Node "${node.id}": a condition needs outgoing "true"/"false" edges` });
    if (node.kind === 'join' && incoming < 2) issues.push({ path, message: `Node "${node.id}": a join needs at least two incoming edges` });
    if (node.kind === 'parallel' && outgoing < 2) issues.push({ path, message: `Node "${node.id}": a parallel fan-out needs at least two outgoing edges` });
  });
}

function parseDefinition(definition: unknown): WorkflowDefinition {
  const parsed = WorkflowDefinition.safeParse(definition);
  if (parsed.success) return parsed.data;
  const raw = definition as { nodes?: { id?: unknown }[] } | undefined;
  const issues = parsed.error.issues.map((issue) => {
    const nodeIndex = issue.path[0] === 'nodes' && typeof issue.path[1] === 'number' ? issue.path[1] : undefined;
    const nodeId = nodeIndex === undefined ? undefined : raw?.nodes?.[nodeIndex]?.id;
    const prefix = typeof nodeId === 'string' ? `Node "${nodeId}": ` : '';
    return { path: issue.path.join('.'), message: `${prefix}${issue.message}` };
  });
  throw new AppError('BAD_REQUEST', `Invalid workflow definition: ${issues[0]?.message ?? 'invalid'}`, { issues });
}

/**
 * Parses and checks a workflow graph. Refuses, with AppError('BAD_REQUEST')
 * whose message and issues name the node: schema errors, duplicate ids,
 * edges to missing nodes, cycles, unreachable or dangling nodes, wrong edge
 * labels, unknown tools, and templates or conditions that do not parse,
 * call unknown functions or read nodes that are unknown or not upstream.
 */
export function validateWorkflowDefinition(definition: unknown, options: ValidateWorkflowOptions): WorkflowDefinition {
  const parsed = parseDefinition(definition);
  const issues: Issue[] = [];
  const seen = new Set<string>();
  parsed.nodes.forEach((node, index) => {
    if (node.id === approvalGateNodeId) issues.push({ path: `nodes.${index}.id`, message: `Node "${node.id}": the id is reserved for the suggest-mode approval gate` });
    if (seen.has(node.id)) issues.push({ path: `nodes.${index}.id`, message: `Node "${node.id}" is defined twice` });
    seen.add(node.id);
  });
  const graph = buildGraph(parsed);
  checkEdges(parsed, graph, issues);
  const cycle = findCycle(graph);
  if (cycle) issues.push({ path: 'edges', message: `Node "${cycle[0] ?? ''}" is on a cycle: ${cycle.join(' -> ')}` });
  if (issues.length === 0) {
    checkShape(parsed, graph, issues);
    const knownTools = new Set<string>([...options.knownTools, ...internalActionNames]);
    parsed.nodes.forEach((node, index) => checkNodeContent(node, index, graph, knownTools, issues));
  }
  if (issues.length > 0) {
    throw new AppError('BAD_REQUEST', `Invalid workflow definition: ${issues.map((issue) => issue.message).join('; ')}`, { issues });
  }
  return parsed;
}
