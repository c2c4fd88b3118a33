'use client';

import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '~/trpc/react';
import { formatValue } from '../charts/format';

const count = (value: number) => formatValue(value, 'count');

/** Headline numbers from `workspace.overview`, read live (not from the layout spec). */
export function KpiStrip({ workspaceId }: { workspaceId: string }) {
  const trpc = useTRPC();
  const overview = useQuery(trpc.workspace.overview.queryOptions({ workspaceId }));
  const data = overview.data;
  if (overview.error) return <div className="error-box" role="alert">Headline numbers could not load: {overview.error.message}</div>;
  return (
    <div className="grid" aria-busy={overview.isLoading} style={{ marginBottom: 16 }}>
      <Tile label="MRR" testId="kpi-mrr" value={data ? formatValue(data.mrrCents, 'cents', { currency: data.workspace.currency }) : '…'} />
      <Tile label="Paying customers" testId="kpi-paying" value={data ? count(data.payingCustomers) : '…'} />
      <Tile label="Active users (last day)" testId="kpi-active-users" value={data?.activeUsersLastDay != null ? count(data.activeUsersLastDay) : '—'} />
      <Tile label="Open incidents" testId="kpi-incidents" value={data ? count(data.openIncidents) : '…'} />
    </div>
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
