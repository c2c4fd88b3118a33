import { metricDefinitions } from '../signals';
import { describeAnomaly, describeMetricValue, formatCents, formatChange } from './format';
import { describeRange, previousPeriod, type NamedPeriod } from './periods';
import { describeDefinition, loadFactsFor, summarise, toFigure, type Answer } from './reasoner-facts';
import { lossesIn } from './reasoner-insights';
import { recentWindows, type MetricQuestionContext } from './reasoner-metrics';

const revenueFamily = new Set(['mrr', 'arr', 'arpa', 'mrr_new', 'mrr_expansion', 'mrr_contraction', 'mrr_churn', 'mrr_reactivation', 'nrr', 'grr', 'quick_ratio', 'mrr_churn_rate', 'paying_customers', 'customer_churn_rate']);
const operationsFamily = new Set(['error_rate', 'latency_p50', 'latency_p95', 'request_rate']);

/**
 * The watched series (decision 0011) that explain a metric asked about but carry
 * another key: detection watches error and request counts, churned customers
 * and the other latency quantile, while people ask about rates and revenue.
 */
const watchedCompanions: Record<string, string[]> = {
  error_rate: ['error_count', 'request_count'],
  request_rate: ['request_count'],
  latency_p95: ['latency_p50'],
  latency_p50: ['latency_p95'],
  mrr: ['churned_customers', 'failed_payments'],
  mrr_churn: ['churned_customers', 'failed_payments'],
  mrr_churn_rate: ['churned_customers', 'failed_payments'],
  customer_churn_rate: ['churned_customers'],
  paying_customers: ['churned_customers', 'signups'],
};

async function describeRelatedSignals(context: MetricQuestionContext, metric: string, period: NamedPeriod): Promise<string[]> {
  const range = { from: period.from, to: period.to };
  const [incidents, anomalies, deploys] = await Promise.all([
    context.data.listIncidents(context.workspaceId, range),
    context.data.listAnomalies(context.workspaceId, range),
    operationsFamily.has(metric) ? context.data.listDeploys(context.workspaceId, range) : Promise.resolve([]),
  ]);
  const lines: string[] = [];
  const related = (name: string) => name === metric || name.includes(metric) || metric.includes(name) || (watchedCompanions[metric] ?? []).includes(name);
  for (const incident of incidents.filter((candidate) => candidate.metrics.some(related))) {
    lines.push(`- Incident "${incident.title}" (${incident.status}) started ${incident.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
  }
  for (const anomaly of anomalies.filter((candidate) => related(candidate.metric)).slice(0, 5)) {
    lines.push(`- Anomaly on ${describeAnomaly(anomaly)}, ${anomaly.direction} at ${anomaly.windowStart.toISOString().slice(0, 16).replace('T', ' ')} UTC.`);
  }
  for (const deploy of deploys.slice(0, 5)) {
    lines.push(`- Deploy ${deploy.service} ${deploy.version} at ${deploy.deployedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC${deploy.rolledBack ? ' (rolled back)' : ''}: ${deploy.description}`);
  }
  return lines;
}

async function describeRevenueMovements(context: MetricQuestionContext, period: NamedPeriod): Promise<{ lines: string[]; figures: Answer['figures'] }> {
  const facts = await loadFactsFor(context.data, context.workspaceId, ['mrr'], [period]);
  const movements = summarise(facts, 'mrr', period, null).movements;
  if (!movements) return { lines: [], figures: [] };
  const losses = lossesIn(facts, period, null).sort((a, b) => b.lost - a.lost).slice(0, 5);
  const names = await context.data.readCustomerNames(context.workspaceId, losses.map((loss) => loss.customerId));
  const lines = [
    `MRR bridge ${describeRange(period)}: start ${formatCents(movements.start)}, new +${formatCents(movements.new)}, expansion +${formatCents(movements.expansion)}, reactivation +${formatCents(movements.reactivation)}, contraction -${formatCents(movements.contraction)}, churn -${formatCents(movements.churn)}, end ${formatCents(movements.end)}.`,
    ...losses.map((loss) => `- ${names.get(loss.customerId) ?? loss.customerId}: ${loss.kind} of ${formatCents(loss.lost)}`),
  ];
  const figures = (['start', 'new', 'expansion', 'reactivation', 'contraction', 'churn', 'end'] as const).map((key) => toFigure(`mrr_movement_${key}`, period, null, movements[key]));
  return { lines, figures };
}

/** When the question assumes a movement the data does not show, say so first rather than explain something that did not happen. */
function describeClaimMismatch(name: string, phrase: string, claimed: 'up' | 'down' | null, earlier: number | null, now: number | null): string[] {
  if (claimed === null || earlier === null || now === null) return [];
  const actual = now > earlier ? 'up' : now < earlier ? 'down' : 'flat';
  if (actual === claimed) return [];
  const moved = actual === 'flat' ? 'it stayed the same' : `it went ${actual}`;
  return [`${name} did not go ${claimed} ${phrase}: ${moved}. Here is what changed.`];
}

/** "Why did MRR drop last month?": the change, the movements behind it, and related incidents, anomalies and deploys. */
export async function answerWhy(context: MetricQuestionContext, metric: string, named: NamedPeriod | null, claimed: 'up' | 'down' | null = null): Promise<Answer> {
  const definition = metricDefinitions[metric] ?? metricDefinitions.mrr!;
  const period = named ?? recentWindows(context.now)[0];
  const before = previousPeriod(period);
  const facts = await loadFactsFor(context.data, context.workspaceId, [definition.key], [period, before]);
  const now = summarise(facts, definition.key, period, null).value;
  const earlier = summarise(facts, definition.key, before, null).value;
  const lines = [
    ...describeClaimMismatch(definition.name, period.phrase, claimed, earlier, now),
    `${definition.name} ${period.phrase} (${describeRange(period)}): ${describeMetricValue(definition, now)}; ${before.phrase} (${describeRange(before)}): ${describeMetricValue(definition, earlier)}; change ${formatChange(definition, earlier, now)}.`,
  ];
  const figures = [toFigure(definition.key, period, null, now), toFigure(definition.key, before, null, earlier)];
  if (revenueFamily.has(definition.key)) {
    const revenue = await describeRevenueMovements(context, period);
    lines.push(...revenue.lines);
    figures.push(...revenue.figures);
  }
  const related = await describeRelatedSignals(context, definition.key, period);
  lines.push(...(related.length > 0 ? ['Related signals:', ...related] : ['No incident, anomaly or deploy recorded for this metric in the period.']));
  lines.push(describeDefinition(definition));
  return { text: lines.join('\n'), figures };
}
