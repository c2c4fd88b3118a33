'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';

const currency = (cents: number, code: string) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: code.toUpperCase(), maximumFractionDigits: 0 }).format(cents / 100);
const count = (value: number) => new Intl.NumberFormat('en-US').format(Math.round(value));

/** First page: the caller's workspace and a few live numbers, read through tRPC. */
export function Overview() {
  const trpc = useTRPC();
  const workspaces = useQuery(trpc.workspace.list.queryOptions());
  const workspace = workspaces.data?.[0];
  const overview = useQuery({
    ...trpc.workspace.overview.queryOptions({ workspaceId: workspace?.id ?? '' }),
    enabled: Boolean(workspace),
  });

  if (workspaces.error?.data?.code === 'UNAUTHORIZED') {
    return (
      <div className="notice" data-testid="signed-out">
        <h1>Welcome to OpsPilot</h1>
        <p className="muted">Sign in to see your business. The demo credentials are in .data/demo-credentials.json.</p>
        <a className="button" href="/sign-in">Sign in</a>
      </div>
    );
  }
  if (workspaces.error) return <div className="notice" role="alert">Could not load workspaces: {workspaces.error.message}</div>;
  if (workspaces.isLoading) return <div className="notice skeleton" aria-busy="true">Loading your workspace…</div>;
  if (!workspace) {
    return <div className="notice" data-testid="no-workspace">You are not a member of any workspace yet.</div>;
  }
  const data = overview.data;
  return (
    <section aria-label="Overview">
      <header className="topbar">
        <div>
          <div className="brand">OpsPilot</div>
          <h1 data-testid="workspace-name" style={{ margin: '4px 0 0', fontSize: 22 }}>{workspace.name}</h1>
        </div>
        <span className="muted">{data ? `as of ${new Date(data.asOf).toLocaleString()}` : ''}</span>
      </header>
      {overview.error ? <div className="notice" role="alert">{overview.error.message}</div> : null}
      <div className="grid" aria-busy={overview.isLoading}>
        <Tile label="MRR" testId="kpi-mrr" value={data ? currency(data.mrrCents, data.workspace.currency) : '…'} />
        <Tile label="Paying customers" testId="kpi-paying" value={data ? count(data.payingCustomers) : '…'} />
        <Tile label="Active users (last day)" testId="kpi-active-users" value={data?.activeUsersLastDay != null ? count(data.activeUsersLastDay) : '—'} />
        <Tile label="Open incidents" testId="kpi-incidents" value={data ? count(data.openIncidents) : '…'} />
      </div>
    </section>
  );
}

function Tile({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="tile">
      <div className="tile-label">{label}</div>
      <div className="tile-value" data-testid={testId}>{value}</div>
    </div>
  );
}
