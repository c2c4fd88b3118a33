'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useSubscription } from '@trpc/tanstack-react-query';
import Link from 'next/link';
import { useState, type FormEvent } from 'react';
import { useTRPC } from '~/trpc/react';
import { ErrorState, Loading } from '../console/states';
import { useWorkspaceId } from '../console/workspace-context';
import { KpiStrip } from './kpi-strip';
import { LayoutHistory } from './layout-history';
import { Panel } from './panel';
import type { UiSchemaOutput } from './types';

const views = [
  { context: 'main_dashboard', label: 'Overview', href: '/' },
  { context: 'revenue', label: 'Revenue', href: '/views/revenue' },
  { context: 'reliability', label: 'Reliability', href: '/views/reliability' },
];

function Grid({ schema, workspaceId, compact }: { schema: UiSchemaOutput; workspaceId: string; compact: boolean }) {
  const root = schema.spec.elements[schema.spec.root];
  const children = root?.type === 'section' ? root.children : [];
  return (
    <div className="panel-grid" data-testid="dashboard-grid" data-version={schema.version}>
      {children.map((id) => {
        const element = schema.spec.elements[id];
        return element ? <Panel key={id} id={id} element={element} span={compact ? 12 : (schema.spec.layout.placements[id]?.span ?? 6)} workspaceId={workspaceId} /> : null;
      })}
    </div>
  );
}

function ChangeBox({ workspaceId, context }: { workspaceId: string; context: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const request = useMutation(trpc.ui.request.mutationOptions({
    onSuccess: (result) => {
      queryClient.setQueryData(trpc.ui.get.queryKey({ workspaceId, context }), result.schema);
      void queryClient.invalidateQueries({ queryKey: trpc.ui.history.queryKey() });
      setText('');
    },
  }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (text.trim().length >= 3) request.mutate({ workspaceId, context, request: text });
  };
  return (
    <form onSubmit={submit} className="row" style={{ marginBottom: 8 }}>
      <label htmlFor="layout-request" className="visually-hidden">Change this view</label>
      <input id="layout-request" value={text} onChange={(event) => setText(event.target.value)} placeholder='e.g. "add a churn chart by plan" or "remove the latency panel"' style={{ flex: 1, minWidth: 260 }} />
      <button type="submit" disabled={request.isPending || text.trim().length < 3}>{request.isPending ? 'Changing…' : 'Change view'}</button>
      {request.data ? <span role="status" className="muted">{request.data.summary}</span> : null}
      {request.error ? <span role="alert" style={{ color: 'var(--bad)' }}>{request.error.message}</span> : null}
    </form>
  );
}

/** A context's layout, rendered from its stored spec; new versions (chat patches, rollbacks) appear live. */
export function DashboardView({ context, compact = false }: { context: string; compact?: boolean }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspaceId = useWorkspaceId();
  const [showHistory, setShowHistory] = useState(false);
  // Beside the chat the dashboard is a section of that page, so its title is not a second h1.
  const Heading = compact ? 'h2' : 'h1';
  const schema = useQuery(trpc.ui.get.queryOptions({ workspaceId, context }));
  useSubscription(trpc.ui.onPatch.subscriptionOptions({ workspaceId, context }, {
    onData: (event) => {
      const current = queryClient.getQueryData(trpc.ui.get.queryKey({ workspaceId, context }));
      if (!current || current.version < event.data.version) {
        void queryClient.invalidateQueries({ queryKey: trpc.ui.get.queryKey({ workspaceId, context }) });
        void queryClient.invalidateQueries({ queryKey: trpc.ui.history.queryKey() });
      }
    },
  }));
  const regenerate = useMutation(trpc.ui.regenerate.mutationOptions({
    onSuccess: (next) => {
      queryClient.setQueryData(trpc.ui.get.queryKey({ workspaceId, context }), next);
      void queryClient.invalidateQueries({ queryKey: trpc.ui.history.queryKey() });
    },
  }));
  return (
    <section aria-labelledby="view-title">
      <header className="topbar">
        <div>
          <Heading id="view-title" style={{ margin: 0, fontSize: 22 }}>{schema.data?.spec.title ?? 'Dashboard'}</Heading>
          <nav aria-label="Views" className="row" style={{ marginTop: 6 }}>
            {views.map((view) => <Link key={view.context} href={view.href} aria-current={view.context === context ? 'page' : undefined}>{view.label}</Link>)}
          </nav>
        </div>
        <div className="row">
          {schema.data ? <span className="badge" data-testid="layout-version">v{schema.data.version}</span> : null}
          <button type="button" className="button-secondary" onClick={() => setShowHistory((value) => !value)} aria-expanded={showHistory}>History</button>
          <button type="button" onClick={() => regenerate.mutate({ workspaceId, context })} disabled={regenerate.isPending}>{regenerate.isPending ? 'Regenerating…' : 'Regenerate'}</button>
        </div>
      </header>
      {regenerate.error ? <ErrorState title="Regenerating failed" message={regenerate.error.message} /> : null}
      {context === 'main_dashboard' && !compact ? <KpiStrip workspaceId={workspaceId} /> : null}
      {showHistory && schema.data ? <div className="panel" style={{ marginBottom: 16 }}><LayoutHistory workspaceId={workspaceId} context={context} currentVersion={schema.data.version} /></div> : null}
      {compact ? null : <ChangeBox workspaceId={workspaceId} context={context} />}
      {schema.isLoading ? <Loading label="Designing your dashboard…" /> : null}
      {schema.error ? <ErrorState title="The layout could not load" message={schema.error.message} action={<button type="button" onClick={() => void schema.refetch()}>Retry</button>} /> : null}
      {schema.data ? <Grid schema={schema.data} workspaceId={workspaceId} compact={compact} /> : null}
    </section>
  );
}
