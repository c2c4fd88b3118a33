import { metricDefinitions, type MetricDefinition } from '../signals';
import { describeMetricValue, formatChange } from './format';
import type { NamedPeriod } from './periods';
import { previousPeriod, startOfDay } from './periods';
import type { BusinessDataPort } from './ports';
import {
  describeDefinition,
  describePeriod,
  isStock,
  loadFactsFor,
  seriesOf,
  summarise,
  toFigure,
  type Answer,
} from './reasoner-facts';

export interface MetricQuestionContext {
  data: BusinessDataPort;
  workspaceId: string;
  now: Date;
  plans: { key: string; name: string }[];
}

const dayMs = 86_400_000;

/** With no period named: stocks now, everything else over the last 30 days. */
export function defaultPeriod(definition: MetricDefinition, now: Date): NamedPeriod {
  if (isStock(definition)) return { phrase: 'now', from: new Date(now.getTime() - dayMs), to: now };
  return { phrase: 'the last 30 days', from: new Date(now.getTime() - 30 * dayMs), to: now };
}

function definitionOf(metric: string): MetricDefinition {
  const definition = metricDefinitions[metric];
  if (!definition) throw new Error(`Unknown metric ${metric}`);
  return definition;
}

function planLabel(context: MetricQuestionContext, segment: string | null): string {
  if (!segment) return '';
  const plan = context.plans.find((candidate) => candidate.key === segment);
  return ` on the ${plan?.name ?? segment} plan`;
}

function segmentIfAllowed(definition: MetricDefinition, segment: string | null): { segment: string | null; note: string } {
  if (!segment || definition.segmentable) return { segment, note: '' };
  return { segment: null, note: ` ${definition.name} is not defined per plan, so this is the whole business.` };
}

/** "What was MRR last month?" */
export async function answerMetricValue(context: MetricQuestionContext, metric: string, named: NamedPeriod | null, requestedSegment: string | null): Promise<Answer> {
  const definition = definitionOf(metric);
  const period = named ?? defaultPeriod(definition, context.now);
  const { segment, note } = segmentIfAllowed(definition, requestedSegment);
  const facts = await loadFactsFor(context.data, context.workspaceId, [metric], [period]);
  const summary = summarise(facts, metric, period, segment);
  const text = `${definition.name}${planLabel(context, segment)} ${describePeriod(definition, period)}: ${describeMetricValue(definition, summary.value)}.${note}\n${describeDefinition(definition)}`;
  return { text, figures: [toFigure(metric, period, segment, summary.value)] };
}

/** "How did MRR trend over the last 6 months?" */
export async function answerMetricTrend(context: MetricQuestionContext, metric: string, named: NamedPeriod | null, requestedSegment: string | null): Promise<Answer> {
  const definition = definitionOf(metric);
  const monthStart = new Date(Date.UTC(context.now.getUTCFullYear(), context.now.getUTCMonth() - 5, 1));
  const period = named ?? { phrase: 'the last 6 months', from: monthStart, to: context.now };
  const { segment, note } = segmentIfAllowed(definition, requestedSegment);
  const facts = await loadFactsFor(context.data, context.workspaceId, [metric], [period]);
  const series = seriesOf(facts, metric, period, segment);
  const lines = series.points.map((point) => {
    const label = series.interval === 'month' ? point.start.toISOString().slice(0, 7) : `${point.start.toISOString().slice(0, 10)}`;
    return `- ${label}${isStock(definition) ? ' (end)' : ''}: ${describeMetricValue(definition, point.value)}`;
  });
  const first = series.points[0]?.value ?? null;
  const last = series.points.at(-1)?.value ?? null;
  const overall = series.points.length > 1 ? `\nFrom the first to the last ${series.interval}: ${formatChange(definition, first, last)}.` : '';
  const text = `${definition.name}${planLabel(context, segment)} by ${series.interval}, ${describePeriod({ ...definition, aggregation: 'sum' }, period)}:${note}\n${lines.join('\n')}${overall}\n${describeDefinition(definition)}`;
  return { text, figures: series.points.map((point) => toFigure(metric, { from: point.start, to: point.end }, segment, point.value)) };
}

/** Sums over periods of different lengths are not like for like; say so rather than let the change mislead. */
function lengthNote(definition: MetricDefinition, first: NamedPeriod, second: NamedPeriod): string {
  if (isStock(definition)) return '';
  const days = (period: NamedPeriod) => Math.round(((period.to.getTime() - period.from.getTime()) / dayMs) * 10) / 10;
  return days(first) === days(second) ? '' : ` Note: the periods differ in length (${days(first)} vs ${days(second)} days).`;
}

/** "MRR this quarter vs last quarter" (or a period against the one before it). */
export async function answerComparison(context: MetricQuestionContext, metric: string, named: NamedPeriod[], requestedSegment: string | null): Promise<Answer> {
  const definition = definitionOf(metric);
  const first = named[0] ?? defaultPeriod(definition, context.now);
  const second = named[1] ?? previousPeriod(first);
  const { segment, note } = segmentIfAllowed(definition, requestedSegment);
  const facts = await loadFactsFor(context.data, context.workspaceId, [metric], [first, second]);
  const [a, b] = [summarise(facts, metric, first, segment).value, summarise(facts, metric, second, segment).value];
  const text = [
    `${definition.name}${planLabel(context, segment)}:${note}`,
    `- ${describePeriod(definition, first)}: ${describeMetricValue(definition, a)}`,
    `- ${describePeriod(definition, second)}: ${describeMetricValue(definition, b)}`,
    `Change from ${second.phrase} to ${first.phrase}: ${formatChange(definition, b, a)}.${lengthNote(definition, first, second)}`,
    describeDefinition(definition),
  ].join('\n');
  return { text, figures: [toFigure(metric, first, segment, a), toFigure(metric, second, segment, b)] };
}

/** "MRR by plan last month" */
export async function answerBreakdown(context: MetricQuestionContext, metric: string, named: NamedPeriod | null): Promise<Answer> {
  const definition = definitionOf(metric);
  const period = named ?? defaultPeriod(definition, context.now);
  if (!definition.segmentable) {
    const total = await answerMetricValue(context, metric, period, null);
    return { ...total, text: `${definition.name} is not defined per plan; here is the whole business.\n${total.text}` };
  }
  const facts = await loadFactsFor(context.data, context.workspaceId, [metric], [period]);
  const total = summarise(facts, metric, period, null).value;
  const rows = context.plans.map((plan) => ({ plan, value: summarise(facts, metric, period, plan.key).value }));
  const lines = rows.map((row) => `- ${row.plan.name} (${row.plan.key}): ${describeMetricValue(definition, row.value)}`);
  const text = `${definition.name} by plan ${describePeriod(definition, period)}:\n${lines.join('\n')}\n- All plans: ${describeMetricValue(definition, total)}\n${describeDefinition(definition)}`;
  return { text, figures: [...rows.map((row) => toFigure(metric, period, row.plan.key, row.value)), toFigure(metric, period, null, total)] };
}

/** The last 30 whole days and the 30 before them, for health scans. */
export function recentWindows(now: Date): [NamedPeriod, NamedPeriod] {
  const end = startOfDay(now).getTime() === now.getTime() ? now : startOfDay(now);
  const recent = { phrase: 'the last 30 days', from: new Date(end.getTime() - 30 * dayMs), to: end };
  return [recent, { phrase: 'the 30 days before', from: new Date(end.getTime() - 60 * dayMs), to: recent.from }];
}
