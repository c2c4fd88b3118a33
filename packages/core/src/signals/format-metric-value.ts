import type { MetricUnit } from './metric-definitions';

/**
 * The one way a metric value becomes text, on the dashboard, in chat answers,
 * in incident summaries and in MCP tool answers. Keyed by the metric
 * definition's unit (and its key for the quick-ratio exception), so a new unit
 * is added here once and the `never` check below names every place to decide.
 *
 * This file imports nothing at run time: the browser bundle reaches it through
 * `@opspilot/core/signals/format` without pulling the rest of signals
 * (zod schemas, node:crypto webhook checks).
 *
 * Rules (en-US digits and grouping in both styles):
 * - Missing values (null, undefined, NaN, ±Infinity) read `options.missing`
 *   (default "—"); the call site owns that text ("undefined for this period").
 * - Negatives read "-$1,250", "-2.13%", "-430 ms"; a value that rounds to zero
 *   never reads "-0".
 * - Money (`cents`, `cents_per_customer`): stored in cents, shown in
 *   `options.currency` (default USD).
 * - `ratio` is a share shown as a percent (0.0213 → "2.13%"), except ratios
 *   that are multiples, not shares (the SaaS quick ratio), shown as a plain number.
 * - `milliseconds` end in " ms"; `requests_per_minute` in " requests/min"
 *   (precise) or "/min" (compact, so an axis label fits in about eight
 *   characters); `count` and unknown units are plain numbers.
 *
 * `compact` (tiles, chart axes and tooltips, tables, the incident page):
 * - money in whole units from $100 up ("$1,250"); below that, cents only when
 *   there are any ("$45.67", "$45", "$0");
 * - percent and plain ratios with up to two decimals ("2.13%", "12%", "3.5");
 * - milliseconds whole ("430 ms");
 * - counts and requests/min with up to two decimals below 10, whole above ("1.39", "1,250", "1,234/min");
 * - with `abbreviate` (axis labels, about eight characters wide) values of a
 *   million and more take three significant digits and M/B ("$1.65M", "2.5B");
 *   below that the text is as without it ("$137,793").
 *
 * `precise` (chat answers, incident summaries, tool answers):
 * - money, percent, plain ratios, milliseconds and requests/min with exactly
 *   two decimals ("$1,250.00", "12.30%", "3.50", "430.40 ms", "12.00 requests/min");
 * - counts with up to two decimals: whole counts stay whole ("1,250") and a
 *   forecast count keeps its fraction ("1.19").
 */
export type MetricValueStyle = 'compact' | 'precise';

export interface FormatMetricValueOptions {
  style: MetricValueStyle;
  /** ISO 4217 code for money units; USD when absent. */
  currency?: string;
  /** The text for a missing or non-finite value; "—" when absent. */
  missing?: string;
  /** Compact only: M/B from a million up, for axis labels. */
  abbreviate?: boolean;
}

/** What the formatter needs of a metric: its unit, and its key when known (for the quick-ratio exception). */
export interface MetricFormatSubject {
  /** A `MetricUnit`; any other unit reads as a plain number. */
  unit: string;
  key?: string;
}

/** Ratios that are multiples (3.5×), not shares, so they never read as a percent. */
const plainRatioKeys: ReadonlySet<string> = new Set(['quick_ratio']);

const metricUnits: ReadonlySet<string> = new Set<MetricUnit>(['cents', 'count', 'ratio', 'cents_per_customer', 'requests_per_minute', 'milliseconds']);

function isMetricUnit(unit: string): unit is MetricUnit {
  return metricUnits.has(unit);
}

const formatters = new Map<string, Intl.NumberFormat>();

function numberFormat(options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const cacheKey = JSON.stringify(options);
  let formatter = formatters.get(cacheKey);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', options);
    formatters.set(cacheKey, formatter);
  }
  return formatter;
}

/** "-0", "-$0" or "-0.00%" come from values that round to zero; they read unsigned. */
function dropNegativeZero(text: string): string {
  return text.startsWith('-') && !/[1-9]/.test(text) ? text.slice(1) : text;
}

function shouldAbbreviate(amount: number, options: FormatMetricValueOptions): boolean {
  return options.style === 'compact' && options.abbreviate === true && Math.abs(amount) >= 1_000_000;
}

const abbreviated = { notation: 'compact', maximumSignificantDigits: 3 } as const;
const twoDecimals = { minimumFractionDigits: 2, maximumFractionDigits: 2 } as const;
const upToTwoDecimals = { maximumFractionDigits: 2 } as const;

function formatMoney(cents: number, options: FormatMetricValueOptions): string {
  const currency = { style: 'currency', currency: (options.currency ?? 'USD').toUpperCase() } as const;
  const units = cents / 100;
  if (shouldAbbreviate(units, options)) return numberFormat({ ...currency, ...abbreviated }).format(units);
  if (options.style === 'precise') return numberFormat({ ...currency, ...twoDecimals }).format(units);
  const roundedCents = Math.round(cents);
  const whole = Math.abs(roundedCents) >= 10_000 || roundedCents % 100 === 0;
  return numberFormat({ ...currency, ...(whole ? { maximumFractionDigits: 0 } : twoDecimals) }).format(units);
}

/** How many decimals a plain number keeps in each style. */
interface PlainDigits {
  compact: 'up-to-two' | 'whole' | 'two-below-ten';
  precise: 'two' | 'up-to-two';
}

const countDigits: PlainDigits = { compact: 'two-below-ten', precise: 'up-to-two' };

function formatPlain(value: number, options: FormatMetricValueOptions, digits: PlainDigits): string {
  if (shouldAbbreviate(value, options)) return numberFormat(abbreviated).format(value);
  if (options.style === 'precise') return numberFormat(digits.precise === 'two' ? twoDecimals : upToTwoDecimals).format(value);
  switch (digits.compact) {
    case 'whole':
      return numberFormat({ maximumFractionDigits: 0 }).format(value);
    case 'two-below-ten':
      return numberFormat({ maximumFractionDigits: Math.abs(value) < 10 ? 2 : 0 }).format(value);
    case 'up-to-two':
      return numberFormat(upToTwoDecimals).format(value);
    default: {
      const unreachable: never = digits.compact;
      return String(unreachable);
    }
  }
}

function formatShare(ratio: number, options: FormatMetricValueOptions): string {
  return numberFormat({ style: 'percent', ...(options.style === 'precise' ? twoDecimals : upToTwoDecimals) }).format(ratio);
}

/** Whether the metric reads as a percent: a `ratio` that is a share, not a multiple like the quick ratio. */
export function isShareMetric(metric: MetricFormatSubject): boolean {
  return metric.unit === 'ratio' && !(metric.key !== undefined && plainRatioKeys.has(metric.key));
}

function formatKnownUnit(metric: MetricFormatSubject & { unit: MetricUnit }, value: number, options: FormatMetricValueOptions): string {
  const unit = metric.unit;
  switch (unit) {
    case 'cents':
    case 'cents_per_customer':
      return formatMoney(value, options);
    case 'ratio':
      return isShareMetric(metric) ? formatShare(value, options) : formatPlain(value, options, { compact: 'up-to-two', precise: 'two' });
    case 'milliseconds':
      return `${formatPlain(value, options, { compact: 'whole', precise: 'two' })} ms`;
    case 'requests_per_minute':
      return `${formatPlain(value, options, { compact: 'two-below-ten', precise: 'two' })}${options.style === 'precise' ? ' requests/min' : '/min'}`;
    case 'count':
      return formatPlain(value, options, countDigits);
    default: {
      const unreachable: never = unit;
      return String(unreachable);
    }
  }
}

/**
 * A metric value as people read it, by the unit of the metric's definition;
 * the rules for both styles are in this file's header.
 */
export function formatMetricValue(metric: MetricFormatSubject, value: number | null | undefined, options: FormatMetricValueOptions): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return options.missing ?? '—';
  const text = isMetricUnit(metric.unit) ? formatKnownUnit({ ...metric, unit: metric.unit }, value, options) : formatPlain(value, options, countDigits);
  return dropNegativeZero(text);
}

/** Money from cents, by the money rules above ("$1,250" compact, "$1,250.00" precise). */
export function formatMoneyValue(cents: number, options: FormatMetricValueOptions): string {
  return formatMetricValue({ unit: 'cents' }, cents, options);
}

/** A share as a percent, by the ratio rules above ("2.1%" compact, "2.10%" precise). */
export function formatShareValue(ratio: number, options: FormatMetricValueOptions): string {
  return formatMetricValue({ unit: 'ratio' }, ratio, options);
}
