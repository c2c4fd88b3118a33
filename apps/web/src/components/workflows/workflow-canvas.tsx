'use client';

import { Background, Controls, ReactFlow, type Edge, type Node } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { StepStatus, WorkflowDefinition } from '@opspilot/core/workflows';

const statusColors: Record<StepStatus, string> = {
  pending: 'var(--border)', ready: 'var(--muted)', running: 'var(--accent)', waiting: 'var(--warn)',
  succeeded: 'var(--good)', failed: 'var(--bad)', skipped: 'var(--muted)', cancelled: 'var(--muted)',
};

/** Lays nodes out by depth from the trigger when the definition carries no positions. */
function layoutNodes(definition: WorkflowDefinition): Map<string, { x: number; y: number }> {
  const depth = new Map<string, number>();
  const incoming = new Set(definition.edges.map((edge) => edge.to));
  const queue = definition.nodes.filter((node) => !incoming.has(node.id)).map((node) => node.id);
  queue.forEach((id) => depth.set(id, 0));
  while (queue.length > 0) {
    const id = queue.shift()!;
    for (const edge of definition.edges.filter((candidate) => candidate.from === id)) {
      if (!depth.has(edge.to)) {
        depth.set(edge.to, (depth.get(id) ?? 0) + 1);
        queue.push(edge.to);
      }
    }
  }
  const rows = new Map<number, number>();
  const positions = new Map<string, { x: number; y: number }>();
  for (const node of definition.nodes) {
    const level = depth.get(node.id) ?? 0;
    const row = rows.get(level) ?? 0;
    rows.set(level, row + 1);
    positions.set(node.id, node.position ?? { x: row * 220, y: level * 110 });
  }
  return positions;
}

/**
 * A workflow graph on an @xyflow/react canvas, each step coloured by its
 * state in the run (pending, running, waiting for approval, succeeded...).
 * Pass fresh `stepStates` as run events arrive and the canvas follows.
 */
export function WorkflowCanvas({ definition, stepStates = {}, onSelectStep }: {
  definition: WorkflowDefinition; stepStates?: Record<string, StepStatus>; onSelectStep?: (nodeId: string) => void;
}) {
  const positions = layoutNodes(definition);
  const nodes: Node[] = definition.nodes.map((node) => {
    const state = stepStates[node.id] ?? 'pending';
    return {
      id: node.id,
      position: positions.get(node.id) ?? { x: 0, y: 0 },
      data: { label: `${node.name ?? node.id} · ${state}` },
      style: { border: `2px solid ${statusColors[state]}`, background: 'var(--panel)', color: 'var(--text)', borderRadius: 8 },
      ariaLabel: `${node.kind} step ${node.name ?? node.id}: ${state}`,
    };
  });
  const edges: Edge[] = definition.edges.map((edge, index) => ({
    id: `${edge.from}-${edge.to}-${index}`, source: edge.from, target: edge.to, ...(edge.label ? { label: edge.label } : {}), animated: stepStates[edge.from] === 'running',
  }));
  return (
    <div style={{ height: 420 }} className="panel" data-testid="workflow-canvas">
      <ReactFlow nodes={nodes} edges={edges} fitView nodesDraggable={false} edgesFocusable={false} onNodeClick={(_, node) => onSelectStep?.(node.id)}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
