'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useTRPC } from '~/trpc/react';
import { formatDate, formatTimeRange, formatValue } from '../charts/format';
import { LineChart } from '../charts/line-chart';
import { ErrorState, Loading } from '../console/states';
import { useWorkspaceId } from '../console/workspace-context';

/** One incident: its story, status actions, and each watched series with the expected band against actual values. */
export function IncidentDetail({ incidentId }: { incidentId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const workspaceId = useWorkspaceId();
  const incident = useQuery(trpc.signals.incident.queryOptions({ workspaceId, incidentId }));
  const panel = useQuery(trpc.ui.panelData.queryOptions({ workspaceId, query: { kind: 'incidents', status: 'all', incidentId, limit: 1 } }));
  const refresh = () => void queryClient.invalidateQueries({ queryKey: trpc.signals.incident.queryKey({ workspaceId, incidentId }) });
  const acknowledge = useMutation(trpc.signals.acknowledge.mutationOptions({ onSuccess: refresh }));
  const resolve = useMutation(trpc.signals.resolve.mutationOptions({ onSuccess: refresh }));
  if (incident.isLoading) return <Loading label="Loading the incident…" />;
  if (incident.error) {
    // A stale or mistyped link is the usual cause: say so plainly, with a heading and a way back.
    const missing = incident.error.data?.code === 'NOT_FOUND';
    return (
      <section aria-labelledby="incident-title" data-testid="incident-error">
        <h1 id="incident-title" style={{ marginTop: 0, fontSize: 22 }}>{missing ? 'Incident not found' : 'Incident'}</h1>
        <ErrorState
          title={missing ? 'There is no incident with this id in this workspace' : 'This incident could not load'}
          message={missing ? 'It may belong to another workspace, or the link is mistyped.' : incident.error.message}
          action={<Link href="/incidents">Back to incidents</Link>}
        />
      </section>
    );
  }
  const data = incident.data!;
  const pinned = panel.data?.kind === 'incidents' ? panel.data.incidents[0] : undefined;
  const actionError = acknowledge.error ?? resolve.error;
  return (
    <article aria-labelledby="incident-title">
      <p><Link href="/incidents">← Incidents</Link></p>
      <header className="topbar">
        <div>
          <h1 id="incident-title" style={{ margin: 0, fontSize: 22 }} data-testid="incident-title">{data.title}</h1>
          <div className="row" style={{ marginTop: 6 }}>
            <span className={`badge badge-${data.severity}`}>{data.severity}</span>
            <span className="badge" data-testid="incident-status">{data.status}</span>
            <span className="muted">started {formatDate(data.startedAt, true)} · last seen {formatDate(data.lastSeenAt, true)}</span>
          </div>
        </div>
        <div className="row">
          <button type="button" className="button-secondary" disabled={data.status !== 'open' || acknowledge.isPending} onClick={() => acknowledge.mutate({ workspaceId, incidentId })}>Acknowledge</button>
          <button type="button" disabled={data.status === 'resolved' || resolve.isPending} onClick={() => resolve.mutate({ workspaceId, incidentId })}>Resolve</button>
        </div>
      </header>
      {actionError ? <ErrorState title="The change was not saved" message={actionError.message} /> : null}
      {data.summary ? <p>{data.summary}</p> : null}
      <div className="panel" data-testid="incident-chart">
        <h2>Expected band against actual</h2>
        {pinned ? (
          pinned.series.map((series) => (
            <div key={series.key}>
              <h3>{series.label}</h3>
              <LineChart series={[series]} markers={pinned.anomalies.filter((anomaly) => series.key.startsWith(`${anomaly.metric}:`))} metric={{ unit: series.unit }} label={`${series.label} around the incident`} withTime />
            </div>
          ))
        ) : panel.isLoading ? <Loading label="Loading the series…" /> : <p className="empty">No stored series for this incident's metrics.</p>}
      </div>
      <div className="panel" style={{ marginTop: 16 }}>
        <h2>Anomalies</h2>
        <table className="data">
          <thead><tr><th scope="col">When</th><th scope="col">Series</th><th scope="col">Expected</th><th scope="col">Actual</th><th scope="col">Severity</th></tr></thead>
          <tbody>
            {data.anomalies.map((anomaly) => {
              const metric = { unit: anomaly.unit, key: anomaly.metric };
              return (
                <tr key={anomaly.id} data-testid="anomaly-row">
                  <td>{formatTimeRange(anomaly.windowStart, anomaly.windowEnd)}</td>
                  <td>
                    {anomaly.metricName}{anomaly.segment ? ` (${anomaly.segment})` : ''}{anomaly.valueWindow ? <span className="muted">, {anomaly.valueWindow}</span> : null}
                    {anomaly.levelShiftAcceptedAt ? <> <span className="badge" title="The level lasted long enough to become the series' new baseline; the anomaly ends here.">new normal since {formatDate(anomaly.levelShiftAcceptedAt, true)}</span></> : null}
                  </td>
                  <td className="number">{formatValue(anomaly.expected, metric)} ({formatValue(anomaly.lower, metric)}–{formatValue(anomaly.upper, metric)})</td>
                  <td className="number">{formatValue(anomaly.actual, metric)}</td>
                  <td>{anomaly.severity}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </article>
  );
}
