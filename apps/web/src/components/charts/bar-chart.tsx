'use client';

import { formatValue, type MetricFormatSubject } from './format';
import { useChartWidth } from './use-chart-width';

export interface Bar {
  label: string;
  value: number;
}

/** Vertical bars (negative values below the axis); a funnel draws stages in order with their share of the first. */
export function BarChart({ bars, metric, label, funnel = false }: { bars: Bar[]; metric: MetricFormatSubject; label: string; funnel?: boolean }) {
  const { ref, width } = useChartWidth<SVGSVGElement>(640);
  if (bars.length === 0) return <p className="empty">No data for this chart yet.</p>;
  const height = 200;
  const top = 12;
  const bottom = 28;
  const max = Math.max(0, ...bars.map((bar) => bar.value));
  const min = Math.min(0, ...bars.map((bar) => bar.value));
  const span = max - min || 1;
  const y = (value: number) => top + ((max - value) / span) * (height - top - bottom);
  const slot = width / bars.length;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={`${label}: ${bars.map((bar) => `${bar.label} ${formatValue(bar.value, metric)}`).join(', ')}`} className="chart" ref={ref} style={{ width: '100%', height: 'auto', display: 'block' }}>
      <line x1={0} x2={width} y1={y(0)} y2={y(0)} stroke="var(--border)" />
      {bars.map((bar, index) => {
        const barTop = Math.min(y(bar.value), y(0));
        const share = funnel && bars[0]!.value ? ` (${Math.round((bar.value / bars[0]!.value) * 100)}%)` : '';
        return (
          <g key={`${bar.label}-${index}`}>
            <rect className={bar.value < 0 ? 'chart-bar chart-bar-negative' : 'chart-bar'} x={index * slot + slot * 0.15} width={slot * 0.7} y={barTop} height={Math.max(1, Math.abs(y(bar.value) - y(0)))} rx={3}>
              <title>{`${bar.label}: ${formatValue(bar.value, metric)}${share}`}</title>
            </rect>
            <text className="chart-axis" x={index * slot + slot / 2} y={height - 8} textAnchor="middle">{bar.label}</text>
          </g>
        );
      })}
    </svg>
  );
}
