'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { WorkflowDefinition } from '@opspilot/core/workflows';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { useWorkspace } from '../console/workspace-context';
import { WorkflowCanvas } from './workflow-canvas';
import { WorkflowRunView } from './workflow-run-view';

/** The workspace's workflows: pick one, see its graph and recent runs, start a run and follow it live. */
export function WorkflowsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { workspace } = useWorkspace();
  const workspaceId = workspace?.id ?? '';
  const canRun = workspace !== null && workspace.role !== 'viewer';
  const [chosen, setChosen] = useState<string | null>(null);
  const [runId, setRunId] = useState<string | null>(null);
  const workflows = useQuery(trpc.workflows.list.queryOptions({ workspaceId }, { enabled: workspaceId !== '' }));
  const workflowId = chosen ?? workflows.data?.items[0]?.id ?? null;
  const detail = useQuery(trpc.workflows.get.queryOptions({ workspaceId, workflowId: workflowId ?? '' }, { enabled: workflowId !== null }));
  const runs = useQuery(trpc.workflows.runs.queryOptions({ workspaceId, workflowId: workflowId ?? undefined, limit: 20 }, { enabled: workflowId !== null }));
  const start = useMutation(trpc.workflows.start.mutationOptions({
    onSuccess: (run) => {
      setRunId(run.id);
      void queryClient.invalidateQueries({ queryKey: trpc.workflows.runs.queryKey() });
    },
  }));
  if (workflows.isLoading) return <Loading label="Loading workflows…" />;
  if (workflows.error) {
    return (
      <section aria-labelledby="workflows-title">
        <h1 id="workflows-title" style={{ marginTop: 0, fontSize: 22 }}>Workflows</h1>
        <ErrorState title="Workflows could not load" message={workflows.error.message} action={<button type="button" onClick={() => void workflows.refetch()}>Try again</button>} />
      </section>
    );
  }
  const items = workflows.data?.items ?? [];
  return (
    <section aria-labelledby="workflows-title">
      <header className="topbar">
        <h1 id="workflows-title" style={{ margin: 0, fontSize: 22 }}>Workflows</h1>
        <div className="row" role="group" aria-label="Choose a workflow">
          {items.map((workflow) => (
            <button key={workflow.id} type="button" className={workflow.id === workflowId ? undefined : 'button-secondary'} aria-pressed={workflow.id === workflowId}
              onClick={() => { setChosen(workflow.id); setRunId(null); }}>{workflow.name}</button>
          ))}
        </div>
      </header>
      {items.length === 0 ? <EmptyState title="No workflows yet">Admins create workflows through the API (POST /api/v1/workspaces/…/workflows).</EmptyState> : null}
      {detail.data ? (
        <div className="panel" style={{ marginBottom: 16 }}>
          <div className="topbar">
            <div>
              <h2 data-testid="workflow-name">{detail.data.name}</h2>
              <p className="muted" style={{ margin: 0 }}>{detail.data.description} · version {detail.data.currentVersion}{detail.data.reversible ? ' · reversible' : ''}</p>
            </div>
            {canRun ? (
              <button type="button" disabled={start.isPending} onClick={() => workflowId && start.mutate({ workspaceId, workflowId })}>Run now</button>
            ) : null}
          </div>
          {start.error ? <ErrorState title="The run did not start" message={start.error.message} /> : null}
          {runId ? null : <WorkflowCanvas definition={detail.data.definition as WorkflowDefinition} />}
        </div>
      ) : null}
      {runId ? <WorkflowRunView key={runId} runId={runId} /> : null}
      {runs.data && runs.data.items.length > 0 ? (
        <table className="data panel" style={{ marginTop: 16 }}>
          <caption className="visually-hidden">Recent runs</caption>
          <thead><tr><th scope="col">Run</th><th scope="col">Status</th><th scope="col">Trigger</th><th scope="col">Started</th></tr></thead>
          <tbody>
            {runs.data.items.map((run) => (
              <tr key={run.id} data-testid="run-row">
                <td><button type="button" className="button-secondary" onClick={() => setRunId(run.id)}>{run.id.slice(-8)}</button></td>
                <td>{run.status}</td>
                <td>{run.trigger.type} · {run.trigger.mode}</td>
                <td>{formatDate(run.createdAt, true)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
