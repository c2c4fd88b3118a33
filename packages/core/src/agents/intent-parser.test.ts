import { describe, expect, it } from 'vitest';
import { parseIntent } from './intent-parser';
import { parsePeriods, previousPeriod } from './periods';

const now = new Date('2026-11-25T00:00:00Z');
const plans = [
  { key: 'starter', name: 'Starter' },
  { key: 'growth', name: 'Growth' },
  { key: 'scale', name: 'Scale' },
];
const iso = (date: Date) => date.toISOString().slice(0, 10);

describe('parsePeriods', () => {
  it.each([
    ['MRR last month', '2026-10-01', '2026-11-01'],
    ['signups in March', '2026-03-01', '2026-04-01'],
    ['signups in December', '2025-12-01', '2026-01-01'],
    ['churn in the last 30 days', '2026-10-26', '2026-11-25'],
    ['tickets last week', '2026-11-16', '2026-11-23'],
    ['revenue this quarter', '2026-10-01', '2026-11-25'],
    ['revenue last quarter', '2026-07-01', '2026-10-01'],
    ['new MRR in Q2 2026', '2026-04-01', '2026-07-01'],
    ['signups year to date', '2026-01-01', '2026-11-25'],
    ['failed payments yesterday', '2026-11-24', '2026-11-25'],
    ['errors in the past two weeks', '2026-11-11', '2026-11-25'],
  ])('%s', (text, from, to) => {
    const [period] = parsePeriods(text, now);
    expect(period && [iso(period.from), iso(period.to)]).toEqual([from, to]);
  });

  it('finds both sides of a comparison in order', () => {
    const periods = parsePeriods('MRR this quarter vs last quarter', now);
    expect(periods.map((period) => period.phrase)).toEqual(['this quarter', 'last quarter']);
  });

  it('does not read the verb "may" as a month', () => {
    expect(parsePeriods('what may be wrong', now)).toEqual([]);
    expect(parsePeriods('signups in May', now).map((period) => iso(period.from))).toEqual(['2026-05-01']);
  });

  it('steps back by whole months for calendar months', () => {
    const before = previousPeriod({ phrase: 'last month', from: new Date('2026-10-01T00:00:00Z'), to: new Date('2026-11-01T00:00:00Z') });
    expect([iso(before.from), iso(before.to)]).toEqual(['2026-09-01', '2026-10-01']);
  });
});

describe('parseIntent', () => {
  const parse = (text: string) => parseIntent(text, { now, plans });
  it.each([
    ['Why did churn go up?', 'up'],
    ['Why did MRR drop last month?', 'down'],
    ['Why is latency higher this week?', 'up'],
    ['Why did sign-ups fall?', 'down'],
    ['Why did MRR change last month?', null],
  ])('the movement "%s" takes for granted', (text, claimed) => {
    const intent = parse(text);
    expect(intent.kind === 'why' ? intent.claimed : 'not a why question').toBe(claimed);
  });

  it.each([
    ['What was MRR last month?', 'metric-value', 'mrr'],
    ['How many paying customers do we have?', 'metric-value', 'paying_customers'],
    ['What is our customer churn rate this quarter vs last quarter?', 'compare', 'customer_churn_rate'],
    ['Show me the MRR trend over the last 6 months', 'metric-trend', 'mrr'],
    ['MRR by plan', 'breakdown', 'mrr'],
    ['Why did MRR drop last month?', 'why', 'mrr'],
    ['What is the MRR churn rate?', 'metric-value', 'mrr_churn_rate'],
    ['How much new MRR did we add in March?', 'metric-value', 'mrr_new'],
  ])('%s', (text, kind, metric) => {
    const intent = parse(text);
    expect(intent.kind).toBe(kind);
    expect('metric' in intent ? intent.metric : null).toBe(metric);
  });

  it.each([
    ['What is wrong?', 'what-is-wrong'],
    ['Which customers churned last month?', 'churned-customers'],
    ['Which customers are at risk?', 'at-risk'],
    ['yes', 'confirmation'],
    ['Approve!', 'confirmation'],
    ['Run the dunning workflow', 'workflow-run'],
    ['What workflows do we have?', 'workflow-list'],
    ['Add churn rate to the dashboard', 'dashboard'],
    ['What is the capital of France?', 'unknown'],
  ])('%s', (text, kind) => {
    expect(parse(text).kind).toBe(kind);
  });

  it('reads a plan segment', () => {
    expect(parse('MRR on the Growth plan last month')).toMatchObject({ kind: 'metric-value', segment: 'growth' });
  });
});
