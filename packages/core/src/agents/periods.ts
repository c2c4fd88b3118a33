/** A period a question names, as a half-open UTC range [from, to). */
export interface NamedPeriod {
  /** The words the person used, e.g. "last month". */
  phrase: string;
  from: Date;
  to: Date;
}

const dayMs = 86_400_000;
const monthNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const monthPattern = monthNames.map((name) => `${name}|${name.slice(0, 3)}`).join('|');
const unitPattern = 'days?|weeks?|months?|quarters?|years?';

function utc(year: number, month: number, day = 1): Date {
  return new Date(Date.UTC(year, month, day));
}

function startOfDay(date: Date): Date {
  return utc(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function startOfWeek(date: Date): Date {
  const day = startOfDay(date);
  return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * dayMs);
}

function startOfQuarter(date: Date): Date {
  return utc(date.getUTCFullYear(), Math.floor(date.getUTCMonth() / 3) * 3);
}

function addMonths(date: Date, months: number): Date {
  return utc(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate());
}

function subtractUnits(now: Date, count: number, unit: string): Date {
  if (unit.startsWith('day')) return new Date(now.getTime() - count * dayMs);
  if (unit.startsWith('week')) return new Date(now.getTime() - count * 7 * dayMs);
  const months = unit.startsWith('month') ? count : unit.startsWith('quarter') ? 3 * count : 12 * count;
  const shifted = addMonths(startOfDay(now), -months);
  return new Date(shifted.getTime() + (now.getTime() - startOfDay(now).getTime()));
}

const wordNumbers: Record<string, number> = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, twelve: 12 };

interface Rule {
  pattern: RegExp;
  resolve(match: RegExpExecArray, now: Date): { from: Date; to: Date } | null;
}

function monthIndex(name: string): number {
  return monthNames.findIndex((month) => month.startsWith(name.toLowerCase().slice(0, 3)));
}

/** A month named without a year is the most recent one that has started. */
function resolveMonth(name: string, year: string | undefined, now: Date): { from: Date; to: Date } {
  const index = monthIndex(name);
  let fullYear = year ? Number(year) : now.getUTCFullYear();
  if (!year && index > now.getUTCMonth()) fullYear -= 1;
  return { from: utc(fullYear, index), to: utc(fullYear, index + 1) };
}

function resolveQuarter(quarter: number, year: string | undefined, now: Date): { from: Date; to: Date } {
  let fullYear = year ? Number(year) : now.getUTCFullYear();
  if (!year && (quarter - 1) * 3 > now.getUTCMonth()) fullYear -= 1;
  return { from: utc(fullYear, (quarter - 1) * 3), to: utc(fullYear, quarter * 3) };
}

const rules: Rule[] = [
  {
    pattern: new RegExp(`\\b(?:last|past|previous|trailing)\\s+(\\d+|${Object.keys(wordNumbers).join('|')})\\s+(${unitPattern})\\b`, 'i'),
    resolve: (match, now) => {
      const raw = match[1]!.toLowerCase();
      const count = wordNumbers[raw] ?? Number(raw);
      return count > 0 ? { from: subtractUnits(now, count, match[2]!.toLowerCase()), to: now } : null;
    },
  },
  { pattern: /\btoday\b/i, resolve: (_, now) => ({ from: startOfDay(now), to: now }) },
  { pattern: /\byesterday\b/i, resolve: (_, now) => ({ from: new Date(startOfDay(now).getTime() - dayMs), to: startOfDay(now) }) },
  { pattern: /\bthis week\b|\bweek to date\b/i, resolve: (_, now) => ({ from: startOfWeek(now), to: now }) },
  { pattern: /\b(?:last|previous|prior) week\b/i, resolve: (_, now) => ({ from: new Date(startOfWeek(now).getTime() - 7 * dayMs), to: startOfWeek(now) }) },
  { pattern: /\bthis month\b|\bmonth to date\b|\bmtd\b/i, resolve: (_, now) => ({ from: utc(now.getUTCFullYear(), now.getUTCMonth()), to: now }) },
  {
    pattern: /\b(?:last|previous|prior) month\b/i,
    resolve: (_, now) => ({ from: utc(now.getUTCFullYear(), now.getUTCMonth() - 1), to: utc(now.getUTCFullYear(), now.getUTCMonth()) }),
  },
  { pattern: /\bthis quarter\b|\bquarter to date\b|\bqtd\b/i, resolve: (_, now) => ({ from: startOfQuarter(now), to: now }) },
  {
    pattern: /\b(?:last|previous|prior) quarter\b/i,
    resolve: (_, now) => ({ from: addMonths(startOfQuarter(now), -3), to: startOfQuarter(now) }),
  },
  { pattern: /\bq([1-4])(?:\s+(\d{4}))?\b/i, resolve: (match, now) => resolveQuarter(Number(match[1]), match[2], now) },
  { pattern: /\bthis year\b|\byear to date\b|\bytd\b/i, resolve: (_, now) => ({ from: utc(now.getUTCFullYear(), 0), to: now }) },
  { pattern: /\b(?:last|previous|prior) year\b/i, resolve: (_, now) => ({ from: utc(now.getUTCFullYear() - 1, 0), to: utc(now.getUTCFullYear(), 0) }) },
  { pattern: new RegExp(`\\b(${monthPattern})\\.?(?:\\s+(\\d{4}))?\\b`, 'i'), resolve: (match, now) => resolveMonth(match[1]!, match[2], now) },
];

/**
 * Finds the period phrases in a question, in the order they appear:
 * "last month", "in March", "last 30 days", "this quarter vs last quarter",
 * "Q2 2026", "year to date". Ranges never end after `now`.
 */
export function parsePeriods(text: string, now: Date): NamedPeriod[] {
  const found: { index: number; period: NamedPeriod }[] = [];
  let remaining = text;
  for (const rule of rules) {
    const global = new RegExp(rule.pattern.source, 'gi');
    for (const match of remaining.matchAll(global)) {
      // "may" is also a verb; only count it with a year or after "in".
      if (/^may$/i.test(match[1] ?? '') && !match[2] && !/\bin\s+$/i.test(remaining.slice(0, match.index))) continue;
      const range = rule.resolve(match, now);
      if (!range) continue;
      const to = range.to.getTime() > now.getTime() ? now : range.to;
      if (range.from.getTime() >= to.getTime()) continue;
      found.push({ index: match.index, period: { phrase: match[0].trim(), from: range.from, to } });
      remaining = remaining.slice(0, match.index) + ' '.repeat(match[0].length) + remaining.slice(match.index + match[0].length);
    }
  }
  return found.sort((left, right) => left.index - right.index).map((entry) => entry.period);
}

/** The period just before `period`, of the same length (calendar months stay calendar months). */
export function previousPeriod(period: NamedPeriod): NamedPeriod {
  const { from, to } = period;
  const isWholeMonths = from.getUTCDate() === 1 && to.getUTCDate() === 1 && to.getTime() === startOfDay(to).getTime() && from.getTime() === startOfDay(from).getTime();
  if (isWholeMonths) {
    const months = (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
    return { phrase: `the ${months === 1 ? 'month' : `${months} months`} before`, from: addMonths(from, -months), to: from };
  }
  const length = to.getTime() - from.getTime();
  return { phrase: 'the period before', from: new Date(from.getTime() - length), to: from };
}

/** "2026-03-01 to 2026-03-31": inclusive dates for whole days, otherwise the exact end time. */
export function describeRange(period: { from: Date; to: Date }): string {
  const start = period.from.toISOString().slice(0, 10);
  const endIsMidnight = period.to.getTime() === startOfDay(period.to).getTime();
  const end = endIsMidnight ? new Date(period.to.getTime() - dayMs).toISOString().slice(0, 10) : `${period.to.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `${start} to ${end}`;
}

export { startOfDay, addMonths };
