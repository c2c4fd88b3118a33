/** Time arithmetic for the demo year. Everything is UTC; the anchor is a UTC midnight. */

export const minuteMs = 60_000;
export const hourMs = 60 * minuteMs;
export const dayMs = 24 * hourMs;
/** Days of history the demo covers, ending at the anchor (exclusive). */
export const demoDays = 365;

/** The UTC midnight at or before `now`: the demo's anchor. */
export function normaliseAnchor(now: Date): Date {
  if (Number.isNaN(now.getTime())) throw new RangeError('The demo anchor must be a valid date');
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** First instant of the demo year. */
export function demoStart(anchor: Date): Date {
  return new Date(anchor.getTime() - demoDays * dayMs);
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * minuteMs);
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * dayMs);
}

/** Adds calendar months, clamping to the month's last day (Jan 31 + 1 month = Feb 28/29). */
export function addMonths(date: Date, months: number): Date {
  const target = new Date(date.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}

/** True on Saturday and Sunday (UTC). */
export function isWeekend(date: Date): boolean {
  const weekday = date.getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Fraction of the year elapsed at `date`, 0 at the demo start, 1 at the anchor. */
export function yearProgress(anchor: Date, date: Date): number {
  return (date.getTime() - demoStart(anchor).getTime()) / (demoDays * dayMs);
}
