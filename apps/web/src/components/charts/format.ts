import { formatMetricValue, type MetricFormatSubject } from '@opspilot/core/signals/format';

export type { MetricFormatSubject };

/**
 * A metric value as the console shows it: the compact style of the shared
 * formatter ("$1,250", "2.13%", "430 ms"), "—" when there is no value.
 * `abbreviate` is for axis labels ("$1.65M"). A bare unit is enough except for
 * ratios that are multiples (the quick ratio), which need the metric's key.
 */
export function formatValue(
  value: number | null | undefined,
  metric: string | MetricFormatSubject,
  options: { currency?: string; abbreviate?: boolean } = {},
): string {
  return formatMetricValue(typeof metric === 'string' ? { unit: metric } : metric, value, { style: 'compact', missing: '—', ...options });
}

/** "Nov 7, 02:00 PM – 07:00 PM" within one UTC day, else "Nov 7, 02:00 PM – Nov 8, 01:00 AM". */
export function formatTimeRange(startIso: string, endIso: string): string {
  const sameDay = startIso.slice(0, 10) === endIso.slice(0, 10);
  const end = sameDay
    ? new Date(endIso).toLocaleTimeString('en-US', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })
    : formatDate(endIso, true);
  return `${formatDate(startIso, true)} – ${end}`;
}

/** "Nov 26, 2026", or "Nov 26, 02:00 PM" with the time (UTC, so the server and the browser render the same text). */
export function formatDate(iso: string, withTime = false): string {
  const date = new Date(iso);
  return withTime
    ? date.toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })
    : date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}
