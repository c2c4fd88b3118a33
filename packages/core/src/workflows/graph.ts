import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from './definition';

/** Adjacency lists of a definition, built once and shared by validation and scheduling. */
export interface WorkflowGraph {
  readonly nodes: ReadonlyMap<string, WorkflowNode>;
  readonly incoming: ReadonlyMap<string, WorkflowEdge[]>;
  readonly outgoing: ReadonlyMap<string, WorkflowEdge[]>;
}

export function buildGraph(definition: WorkflowDefinition): WorkflowGraph {
  const nodes = new Map<string, WorkflowNode>();
  const incoming = new Map<string, WorkflowEdge[]>();
  const outgoing = new Map<string, WorkflowEdge[]>();
  for (const node of definition.nodes) {
    nodes.set(node.id, node);
    incoming.set(node.id, []);
    outgoing.set(node.id, []);
  }
  for (const edge of definition.edges) {
    incoming.get(edge.to)?.push(edge);
    outgoing.get(edge.from)?.push(edge);
  }
  return { nodes, incoming, outgoing };
}

/** Every node reachable from `start` following edges forward (excluding `start` unless on a cycle). */
export function collectDescendants(graph: WorkflowGraph, start: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const current = stack.pop() ?? '';
    for (const edge of graph.outgoing.get(current) ?? []) {
      if (!seen.has(edge.to)) {
        seen.add(edge.to);
        stack.push(edge.to);
      }
    }
  }
  return seen;
}

/** Every node from which `nodeId` can be reached: the nodes whose outputs exist when it runs. */
export function collectAncestors(graph: WorkflowGraph, nodeId: string): Set<string> {
  const seen = new Set<string>();
  const stack = [nodeId];
  while (stack.length > 0) {
    const current = stack.pop() ?? '';
    for (const edge of graph.incoming.get(current) ?? []) {
      if (!seen.has(edge.from)) {
        seen.add(edge.from);
        stack.push(edge.from);
      }
    }
  }
  return seen;
}

/** The nodes on one cycle, or undefined when the graph is acyclic. */
export function findCycle(graph: WorkflowGraph): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (nodeId: string): string[] | undefined => {
    state.set(nodeId, 'visiting');
    path.push(nodeId);
    for (const edge of graph.outgoing.get(nodeId) ?? []) {
      const next = state.get(edge.to);
      if (next === 'visiting') return [...path.slice(path.indexOf(edge.to)), edge.to];
      if (next === undefined) {
        const cycle = visit(edge.to);
        if (cycle) return cycle;
      }
    }
    path.pop();
    state.set(nodeId, 'done');
    return undefined;
  };
  for (const nodeId of graph.nodes.keys()) {
    if (!state.has(nodeId)) {
      const cycle = visit(nodeId);
      if (cycle) return cycle;
    }
  }
  return undefined;
}
