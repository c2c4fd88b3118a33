'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { ErrorState, Loading } from './states';
import { useWorkspaceId } from './workspace-context';

/** The workspace's agents: instructions, model and allowed tools. */
export function AgentList() {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const agents = useQuery(trpc.agents.list.queryOptions({ workspaceId }));
  return (
    <section aria-labelledby="agents-title">
      <h1 id="agents-title" style={{ marginTop: 0, fontSize: 22 }}>Agents</h1>
      {agents.isLoading ? <Loading label="Loading agents…" /> : null}
      {agents.error ? <ErrorState title="Agents could not load" message={agents.error.message} action={<button type="button" onClick={() => void agents.refetch()}>Try again</button>} /> : null}
      <div className="panel-grid">
        {(agents.data ?? []).map((agent) => (
          <article key={agent.id} className="panel" style={{ gridColumn: 'span 6' }} data-testid="agent-card">
            <div className="row"><h2 style={{ margin: 0 }}>{agent.name}</h2><span className="badge">{agent.kind}</span><span className="badge">{agent.enabled ? 'enabled' : 'disabled'}</span></div>
            <p className="muted">{agent.description}</p>
            <dl>
              <dt className="muted">Model</dt><dd>{agent.model ?? 'Workspace default (built-in deterministic reasoner when no model is configured)'}</dd>
              <dt className="muted">Tools</dt><dd>{agent.allowedTools.length ? agent.allowedTools.map((tool) => (tool === '*' ? 'All tools' : tool)).join(', ') : 'None'}</dd>
              <dt className="muted">Instructions</dt><dd style={{ whiteSpace: 'pre-wrap' }}>{agent.instructions}</dd>
            </dl>
          </article>
        ))}
      </div>
    </section>
  );
}
