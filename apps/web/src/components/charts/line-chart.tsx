'use client';

import { formatDate, formatValue, type MetricFormatSubject } from './format';
import { useChartWidth } from './use-chart-width';

export interface ChartPoint {
  at: string;
  value: number | null;
  expected?: number | null;
  lower?: number | null;
  upper?: number | null;
}

export interface ChartSeries {
  key: string;
  label: string;
  points: ChartPoint[];
}

export interface ChartMarker {
  at: string;
  value: number;
  severity: string;
}

const palette = ['var(--accent)', '#2f9e44', '#e8590c', '#9c36b5', '#1098ad', '#c2255c'];
const defaultWidth = 640;
const height = 220;
const margin = { top: 12, right: 12, bottom: 24, left: 64 };

function pathOf(points: { x: number; y: number | null }[]): string {
  let path = '';
  let drawing = false;
  for (const point of points) {
    if (point.y === null) {
      drawing = false;
      continue;
    }
    path += `${drawing ? 'L' : 'M'}${point.x.toFixed(1)},${point.y.toFixed(1)}`;
    drawing = true;
  }
  return path;
}

/**
 * A hand-written SVG line chart: the expected band (shaded) and expected line
 * (dashed) behind the actual series, anomaly markers on top. No chart library,
 * so the dashboard stays small.
 */
export function LineChart({ series, markers = [], metric, label, showBand = true, withTime = false }: {
  series: ChartSeries[]; markers?: ChartMarker[]; metric: MetricFormatSubject; label: string; showBand?: boolean; withTime?: boolean;
}) {
  const { ref, width } = useChartWidth<HTMLElement>(defaultWidth);
  const times = series.flatMap((entry) => entry.points.map((point) => Date.parse(point.at)));
  const values = series.flatMap((entry) => entry.points.flatMap((point) => [point.value, showBand ? point.lower : null, showBand ? point.upper : null])).filter((value): value is number => value !== null && value !== undefined && Number.isFinite(value));
  if (times.length === 0 || values.length === 0) return <p className="empty">No data points in this range yet.</p>;
  const [minTime, maxTime] = [Math.min(...times), Math.max(...times)];
  let [minValue, maxValue] = [Math.min(...values, ...markers.map((marker) => marker.value)), Math.max(...values, ...markers.map((marker) => marker.value))];
  if (minValue > 0 && minValue < maxValue * 0.5) minValue = 0;
  // A band that dips below zero around a sudden change would otherwise drag the axis negative
  // for series that cannot go there (latency, counts, money).
  const actualsNonNegative = series.every((entry) => entry.points.every((point) => point.value === null || point.value === undefined || point.value >= 0));
  if (actualsNonNegative && minValue < 0) minValue = 0;
  if (minValue === maxValue) [minValue, maxValue] = [minValue - 1, maxValue + 1];
  const x = (time: number) => margin.left + ((time - minTime) / Math.max(1, maxTime - minTime)) * (width - margin.left - margin.right);
  const y = (value: number) => height - margin.bottom - ((value - minValue) / (maxValue - minValue)) * (height - margin.top - margin.bottom);
  const first = series[0]!;
  const band = showBand ? first.points.filter((point) => point.lower != null && point.upper != null) : [];
  const bandPath = band.length > 1
    ? `M${band.map((point) => `${x(Date.parse(point.at)).toFixed(1)},${y(Math.min(maxValue, point.upper!)).toFixed(1)}`).join('L')}L${[...band].reverse().map((point) => `${x(Date.parse(point.at)).toFixed(1)},${y(Math.max(minValue, point.lower!)).toFixed(1)}`).join('L')}Z`
    : '';
  const last = first.points.findLast((point) => point.value !== null);
  const summary = `${label}: ${series.length} series from ${formatDate(new Date(minTime).toISOString())} to ${formatDate(new Date(maxTime).toISOString())}; latest ${formatValue(last?.value, metric)}; ${markers.length} anomal${markers.length === 1 ? 'y' : 'ies'}.`;
  return (
    <figure className="chart" style={{ margin: 0 }} ref={ref}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary}>
        <line x1={margin.left} x2={width - margin.right} y1={height - margin.bottom} y2={height - margin.bottom} stroke="var(--border)" />
        <text className="chart-axis" x={margin.left - 6} y={margin.top + 8} textAnchor="end">{formatValue(maxValue, metric, { abbreviate: true })}</text>
        <text className="chart-axis" x={margin.left - 6} y={height - margin.bottom} textAnchor="end">{formatValue(minValue, metric, { abbreviate: true })}</text>
        <text className="chart-axis" x={margin.left} y={height - 6}>{formatDate(new Date(minTime).toISOString(), withTime)}</text>
        <text className="chart-axis" x={width - margin.right} y={height - 6} textAnchor="end">{formatDate(new Date(maxTime).toISOString(), withTime)}</text>
        {bandPath ? <path className="chart-band" d={bandPath} data-testid="expected-band" /> : null}
        {showBand ? <path className="chart-expected" d={pathOf(first.points.map((point) => ({ x: x(Date.parse(point.at)), y: point.expected == null ? null : y(point.expected) })))} /> : null}
        {series.map((entry, index) => (
          <path key={entry.key} className="chart-line" style={{ stroke: palette[index % palette.length] }} d={pathOf(entry.points.map((point) => ({ x: x(Date.parse(point.at)), y: point.value === null ? null : y(point.value) })))} />
        ))}
        {markers.map((marker, index) => (
          <circle key={`${marker.at}-${index}`} className="chart-anomaly" cx={x(Date.parse(marker.at))} cy={y(marker.value)} r={5} data-testid="anomaly-marker">
            <title>{`${marker.severity} anomaly at ${formatDate(marker.at, true)}: ${formatValue(marker.value, metric)}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption className="legend">
        {series.map((entry, index) => <span key={entry.key}><span className="legend-swatch" style={{ background: palette[index % palette.length] }} />{entry.label}</span>)}
        {bandPath ? <span><span className="legend-swatch chart-band" style={{ background: 'var(--accent)' }} />expected band</span> : null}
        {markers.length ? <span><span className="legend-swatch" style={{ background: 'var(--bad)' }} />anomaly</span> : null}
      </figcaption>
    </figure>
  );
}
