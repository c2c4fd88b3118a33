import Link from 'next/link';
import { BarChart } from '../charts/bar-chart';
import { formatDate, formatValue } from '../charts/format';
import { LineChart } from '../charts/line-chart';
import type { CohortData, IncidentsData, MetricData, TableData } from './types';

export function MetricTileView({ data, metricKey, testId }: { data: MetricData; metricKey?: string; testId: string }) {
  const points = (data.series[0]?.points ?? []).filter((point) => point.value !== null);
  const last = points.at(-1)?.value ?? null;
  const previous = points.at(-2)?.value ?? null;
  const change = last !== null && previous ? (last - previous) / Math.abs(previous) : null;
  const good = change === null ? null : (change >= 0) === (data.directionOfGood === 'up');
  return (
    <div>
      <div className="tile-value" data-testid={testId}>{formatValue(last, { unit: data.unit, key: metricKey })}</div>
      {change !== null ? (
        <div style={{ fontSize: 13, color: good ? 'var(--good)' : 'var(--bad)' }}>
          {change >= 0 ? '▲' : '▼'} {formatValue(Math.abs(change), 'ratio')} vs previous period
        </div>
      ) : <div className="muted" style={{ fontSize: 13 }}>No earlier period to compare</div>}
    </div>
  );
}

export function TimeSeriesView({ data, metricKey, title, showBand, showAnomalies }: { data: MetricData; metricKey?: string; title: string; showBand: boolean; showAnomalies: boolean }) {
  return <LineChart series={data.series} markers={showAnomalies ? data.anomalies : []} metric={{ unit: data.unit, key: metricKey }} label={title} showBand={showBand && data.series.length === 1} />;
}

export function MetricBarsView({ data, metricKey, title, funnel }: { data: MetricData; metricKey?: string; title: string; funnel: boolean }) {
  const bars = (data.series[0]?.points ?? []).filter((point) => point.value !== null).slice(-12).map((point) => ({ label: point.at.slice(5, 10), value: point.value! }));
  return <BarChart bars={bars} metric={{ unit: data.unit, key: metricKey }} label={title} funnel={funnel} />;
}

export function TableBarsView({ data, title }: { data: TableData; title: string }) {
  const bars = data.rows.map((row) => ({
    label: String(row.month ?? ''),
    value: data.columns.filter((column) => column.kind === 'money').reduce((sum, column) => sum + Number(row[column.key] ?? 0), 0),
  }));
  return <BarChart bars={bars} metric={{ unit: 'cents' }} label={`${title} (net per month)`} />;
}

export function TableView({ data, caption }: { data: TableData; caption: string }) {
  if (data.rows.length === 0) return <p className="empty">Nothing to list yet.</p>;
  return (
    <table className="data">
      <caption className="visually-hidden">{caption}</caption>
      <thead><tr>{data.columns.map((column) => <th key={column.key} scope="col">{column.label}</th>)}</tr></thead>
      <tbody>
        {data.rows.map((row, index) => (
          <tr key={index}>
            {data.columns.map((column) => {
              const value = row[column.key];
              const text = value === null || value === undefined ? '—' : column.kind === 'money' ? formatValue(Number(value), 'cents') : column.kind === 'date' ? formatDate(String(value), true) : String(value);
              return <td key={column.key} className={column.kind === 'money' || column.kind === 'number' ? 'number' : undefined}>{text}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function CohortView({ data }: { data: CohortData }) {
  const months = data.cohorts[0]?.retained.length ?? 0;
  return (
    <table className="data">
      <caption className="visually-hidden">Share of each monthly cohort still paying</caption>
      <thead><tr><th scope="col">Cohort</th><th scope="col">Customers</th>{Array.from({ length: months }, (_, index) => <th key={index} scope="col">M{index}</th>)}</tr></thead>
      <tbody>
        {data.cohorts.map((cohort) => (
          <tr key={cohort.cohort}>
            <th scope="row">{cohort.cohort}</th>
            <td className="number">{cohort.size}</td>
            {cohort.retained.map((share, index) => (
              <td key={index} className="number" style={share === null ? undefined : { background: `color-mix(in srgb, var(--accent) ${Math.round(share * 45)}%, transparent)` }}>
                {share === null ? '' : formatValue(share, 'ratio')}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function IncidentView({ data }: { data: IncidentsData }) {
  if (data.incidents.length === 0) return <p className="empty">No open incident. OpsPilot watches every metric and opens one when something breaks.</p>;
  return (
    <div style={{ display: 'grid', gap: 12 }}>
      {data.incidents.map((incident) => (
        <article key={incident.id} data-testid="incident-card">
          <div className="row">
            <span className={`badge badge-${incident.severity}`}>{incident.severity}</span>
            <span className="badge">{incident.status}</span>
            <Link href={`/incidents/${incident.id}`}>{incident.title}</Link>
            <span className="muted" style={{ fontSize: 12 }}>since {formatDate(incident.startedAt, true)}</span>
          </div>
          {incident.series[0] ? (
            <LineChart series={[incident.series[0]]} markers={incident.anomalies.filter((anomaly) => incident.series[0]!.key.startsWith(`${anomaly.metric}:`))} metric={{ unit: incident.series[0].unit }} label={`${incident.title}: expected band against actual`} withTime />
          ) : null}
        </article>
      ))}
    </div>
  );
}
