/** Formats a metric value for people, by the metric definition's unit. */
export function formatValue(value: number | null | undefined, unit: string, currency = 'USD'): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'cents':
    case 'cents_per_customer':
      return new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 0 }).format(value / 100);
    case 'ratio':
      return new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 2 }).format(value);
    case 'milliseconds':
      return `${new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }).format(value)} ms`;
    default:
      return new Intl.NumberFormat('en-US', { maximumFractionDigits: Math.abs(value) < 10 ? 2 : 0 }).format(value);
  }
}

/** "Nov 26, 2026", or "Nov 26, 02:00 PM" with the time (UTC, so the server and the browser render the same text). */
export function formatDate(iso: string, withTime = false): string {
  const date = new Date(iso);
  return withTime
    ? date.toLocaleString('en-US', { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' })
    : date.toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
}
