import type { MetricInterval } from './metric-types';

const dayMs = 86_400_000;

/** Start (UTC) of the day, ISO week (Monday) or calendar month containing `date`. */
export function startOfBucket(date: Date, interval: MetricInterval): Date {
  const day = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  switch (interval) {
    case 'day':
      return day;
    case 'week': {
      const daysSinceMonday = (day.getUTCDay() + 6) % 7;
      return new Date(day.getTime() - daysSinceMonday * dayMs);
    }
    case 'month':
      return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
    default: {
      const unreachable: never = interval;
      throw new Error(`Unknown interval ${String(unreachable)}`);
    }
  }
}

/** Start of the bucket after the one starting at `start`. */
export function nextBucketStart(start: Date, interval: MetricInterval): Date {
  switch (interval) {
    case 'day':
      return new Date(start.getTime() + dayMs);
    case 'week':
      return new Date(start.getTime() + 7 * dayMs);
    case 'month':
      return new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
    default: {
      const unreachable: never = interval;
      throw new Error(`Unknown interval ${String(unreachable)}`);
    }
  }
}

export interface Period {
  start: Date;
  end: Date;
}

/** The periods covering [from, to), calendar-aligned, with the first and last clipped to the range. */
export function enumeratePeriods(from: Date, to: Date, interval: MetricInterval): Period[] {
  const periods: Period[] = [];
  let bucket = startOfBucket(from, interval);
  while (bucket.getTime() < to.getTime()) {
    const next = nextBucketStart(bucket, interval);
    const start = bucket.getTime() < from.getTime() ? from : bucket;
    const end = next.getTime() > to.getTime() ? to : next;
    periods.push({ start, end });
    bucket = next;
  }
  return periods;
}

/** Length of a period in days (fractional for clipped periods). */
export function periodDays(period: Period): number {
  return (period.end.getTime() - period.start.getTime()) / dayMs;
}
