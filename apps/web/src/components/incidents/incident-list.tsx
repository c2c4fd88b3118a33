'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { useTRPC } from '~/trpc/react';
import { formatDate } from '../charts/format';
import { EmptyState, ErrorState, Loading } from '../console/states';
import { useWorkspaceId } from '../console/workspace-context';

const filters = [{ value: 'open', label: 'Open' }, { value: 'acknowledged', label: 'Acknowledged' }, { value: 'resolved', label: 'Resolved' }, { value: 'all', label: 'All' }] as const;

/** Incidents, newest first, filtered by status. */
export function IncidentList() {
  const trpc = useTRPC();
  const workspaceId = useWorkspaceId();
  const [status, setStatus] = useState<(typeof filters)[number]['value']>('all');
  const incidents = useQuery(trpc.signals.incidents.queryOptions({ workspaceId, limit: 50, ...(status === 'all' ? {} : { status }) }));
  return (
    <section aria-labelledby="incidents-title">
      <header className="topbar">
        <h1 id="incidents-title" style={{ margin: 0, fontSize: 22 }}>Incidents</h1>
        <div className="row" role="group" aria-label="Filter by status">
          {filters.map((filter) => (
            <button key={filter.value} type="button" className={status === filter.value ? undefined : 'button-secondary'} aria-pressed={status === filter.value} onClick={() => setStatus(filter.value)}>{filter.label}</button>
          ))}
        </div>
      </header>
      {incidents.isLoading ? <Loading label="Loading incidents…" /> : null}
      {incidents.error ? <ErrorState title="Incidents could not load" message={incidents.error.message} action={<button type="button" onClick={() => void incidents.refetch()}>Try again</button>} /> : null}
      {incidents.data && incidents.data.items.length === 0 ? <EmptyState title="No incidents here">OpsPilot groups anomalies into incidents as it detects them. Try another filter.</EmptyState> : null}
      {incidents.data && incidents.data.items.length > 0 ? (
        <table className="data panel">
          <caption className="visually-hidden">Incidents</caption>
          <thead><tr><th scope="col">Severity</th><th scope="col">Incident</th><th scope="col">Status</th><th scope="col">Metrics</th><th scope="col">Started</th></tr></thead>
          <tbody>
            {incidents.data.items.map((incident) => (
              <tr key={incident.id} data-testid="incident-row">
                <td><span className={`badge badge-${incident.severity}`}>{incident.severity}</span></td>
                <td><Link href={`/incidents/${incident.id}`}>{incident.title}</Link></td>
                <td>{incident.status}</td>
                <td>{incident.metricNames.join(', ')}</td>
                <td>{formatDate(incident.startedAt, true)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
