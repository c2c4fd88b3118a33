'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import { useState } from 'react';
import type { StepStatus, WorkflowDefinition } from '@opspilot/core/workflows';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { ErrorState, Loading } from '../console/states';
import { useWorkspace } from '../console/workspace-context';
import { WorkflowCanvas } from './workflow-canvas';

/**
 * One run on the live canvas: each run event (step-start, step-end,
 * approval-request, run-end...) refetches the run, so the canvas, the step
 * table and the pending approvals follow the worker. People decide approvals
 * here; the API refuses API keys.
 */
export function WorkflowRunView({ runId }: { runId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const workspaceId = workspace?.id ?? '';
  const canDecide = workspace !== null && workspace.role !== 'viewer';
  const [selectedNode, setSelectedNode] = useState<string | null>(null);
  const runKey = trpc.workflows.run.queryKey({ workspaceId, runId });
  const run = useQuery(trpc.workflows.run.queryOptions({ workspaceId, runId }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: runKey });
  const events = useSubscription(trpc.workflows.onRunEvent.subscriptionOptions({ workspaceId, runId }, {
    enabled: workspaceId !== '',
    onData: (event) => {
      refresh();
      if (event.data.type === 'run-end') void queryClient.invalidateQueries({ queryKey: trpc.workflows.runs.queryKey() });
    },
  }));
  const approve = useMutation(trpc.workflows.approve.mutationOptions({ onSuccess: refresh }));
  const reject = useMutation(trpc.workflows.reject.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.workflows.cancel.mutationOptions({ onSuccess: refresh }));
  if (run.isLoading) return <Loading label="Loading the run…" />;
  if (run.error) return <ErrorState title="This run could not load" message={run.error.message} />;
  const data = run.data!;
  const stepStates = Object.fromEntries(data.steps.map((step) => [step.nodeId, step.status])) as Record<string, StepStatus>;
  const pending = data.approvals.filter((approval) => approval.status === 'pending');
  const finished = ['succeeded', 'failed', 'cancelled'].includes(data.status);
  const decisionError = approve.error ?? reject.error ?? cancel.error;
  const selected = data.steps.find((step) => step.nodeId === selectedNode);
  // Steps in the graph's order (as drawn), not in whatever order the store returns them.
  const nodeOrder = new Map(((data.definition as WorkflowDefinition | null)?.nodes ?? []).map((node, index) => [node.id, index]));
  const orderedSteps = [...data.steps].sort((a, b) => (nodeOrder.get(a.nodeId) ?? Infinity) - (nodeOrder.get(b.nodeId) ?? Infinity));
  return (
    <section aria-labelledby="run-title" data-testid="workflow-run">
      <header className="topbar">
        <div>
          <h2 id="run-title" style={{ margin: 0 }}>Run {data.id.slice(-8)} · version {data.workflowVersion}</h2>
          <div className="row" style={{ marginTop: 6 }}>
            <span className="badge" data-testid="run-status">{data.status}</span>
            <span className="muted">{data.trigger.type} · {data.trigger.mode} · started {formatDate(data.createdAt, true)}</span>
            {events.status === 'pending' ? <span className="muted" role="status">live</span> : null}
          </div>
        </div>
        {canDecide && !finished ? (
          <button type="button" className="button-secondary" disabled={cancel.isPending} onClick={() => cancel.mutate({ workspaceId, runId })}>Cancel run</button>
        ) : null}
      </header>
      {decisionError ? <ErrorState title="That did not go through" message={decisionError.message} /> : null}
      {data.error ? <ErrorState title="The run failed" message={data.error} /> : null}
      {pending.map((approval) => (
        <div key={approval.id} className="panel" data-testid="approval-card" style={{ marginBottom: 12 }}>
          <h3>{approval.title}</h3>
          <p>{approval.summary}</p>
          <p className="muted">Expires {formatDate(approval.expiresAt, true)}</p>
          {canDecide ? (
            <div className="row">
              <button type="button" disabled={approve.isPending} onClick={() => approve.mutate({ workspaceId, approvalId: approval.id, expectedVersion: approval.version })}>Approve</button>
              <button type="button" className="button-secondary" disabled={reject.isPending} onClick={() => reject.mutate({ workspaceId, approvalId: approval.id, expectedVersion: approval.version })}>Reject</button>
            </div>
          ) : <p className="muted">Members and above decide approvals.</p>}
        </div>
      ))}
      {data.definition ? <WorkflowCanvas definition={data.definition as WorkflowDefinition} stepStates={stepStates} onSelectStep={setSelectedNode} /> : null}
      <table className="data panel" style={{ marginTop: 12 }}>
        <caption className="visually-hidden">Steps</caption>
        <thead><tr><th scope="col">Step</th><th scope="col">State</th><th scope="col">Attempt</th><th scope="col">Finished</th></tr></thead>
        <tbody>
          {orderedSteps.map((step) => (
            <tr key={step.id} data-testid="step-row" aria-selected={step.nodeId === selectedNode}>
              <td><button type="button" className="button-secondary" onClick={() => setSelectedNode(step.nodeId)}>{step.nodeId}</button></td>
              <td data-testid={`step-state-${step.nodeId}`}>{step.status}</td>
              <td className="number">{step.attempt}</td>
              <td>{step.finishedAt ? formatDate(step.finishedAt, true) : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {selected ? (
        <div className="panel" style={{ marginTop: 12 }} data-testid="step-detail">
          <h3>{selected.nodeId}</h3>
          {selected.error ? <p className="muted">{selected.error}</p> : null}
          <pre style={{ whiteSpace: 'pre-wrap', overflowX: 'auto', maxHeight: 280 }}>{JSON.stringify({ input: selected.input, output: selected.output }, null, 2)}</pre>
        </div>
      ) : null}
    </section>
  );
}
