import { metricDefinitions, type MetricDefinition, type MetricFacts } from '../signals';
import { describeAnomaly, describeMetricValue, formatCents, formatChange } from './format';
import { describeRange, type NamedPeriod } from './periods';
import { loadFactsFor, summarise, toFigure, type Answer, type Figure } from './reasoner-facts';
import { defaultPeriod, recentWindows, type MetricQuestionContext } from './reasoner-metrics';

/** Metrics the health scan compares, with the relative move (bad direction) that counts as worth a look. */
const scannedMetrics: [string, number][] = [
  ['mrr', 0.02],
  ['customer_churn_rate', 0.25],
  ['mrr_churn', 0.25],
  ['signups', 0.15],
  ['trial_conversion', 0.15],
  ['failed_payments', 0.25],
  ['ticket_volume', 0.25],
  ['error_rate', 0.25],
  ['latency_p95', 0.15],
];

interface Movement {
  definition: MetricDefinition;
  recent: number | null;
  before: number | null;
  worse: boolean;
}

function scanMovement(facts: MetricFacts, metric: string, threshold: number, windows: [NamedPeriod, NamedPeriod]): Movement {
  const definition = metricDefinitions[metric]!;
  const recent = summarise(facts, metric, windows[0], null).value;
  const before = summarise(facts, metric, windows[1], null).value;
  if (recent === null || before === null || before === 0) return { definition, recent, before, worse: false };
  const change = (recent - before) / Math.abs(before);
  const worse = definition.directionOfGood === 'up' ? change <= -threshold : change >= threshold;
  return { definition, recent, before, worse };
}

function describeIncidentLines(context: { incidents: Awaited<ReturnType<MetricQuestionContext['data']['listIncidents']>> }): string[] {
  return context.incidents.map(
    (incident) => `- Incident "${incident.title}" (${incident.status}, ${incident.severity}) on ${incident.metrics.join(', ')} since ${incident.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  );
}

/** "What is wrong?": incidents, anomalies, and the metrics that moved the bad way in the last 30 days. */
export async function answerWhatIsWrong(context: MetricQuestionContext, named: NamedPeriod | null): Promise<Answer> {
  const windows: [NamedPeriod, NamedPeriod] = named ? [named, { ...named, phrase: 'the period before', from: new Date(2 * named.from.getTime() - named.to.getTime()), to: named.from }] : recentWindows(context.now);
  const [incidents, anomalies] = await Promise.all([
    context.data.listIncidents(context.workspaceId, { from: windows[0].from, to: windows[0].to }),
    context.data.listAnomalies(context.workspaceId, { from: windows[0].from, to: windows[0].to }),
  ]);
  const facts = await loadFactsFor(context.data, context.workspaceId, scannedMetrics.map(([metric]) => metric), windows);
  const movements = scannedMetrics.map(([metric, threshold]) => scanMovement(facts, metric, threshold, windows));
  const worse = movements.filter((movement) => movement.worse);
  const lines = [`Checked ${describeRange(windows[0])} against ${describeRange(windows[1])}.`];
  lines.push(...describeIncidentLines({ incidents }));
  for (const anomaly of anomalies.slice(0, 10)) {
    lines.push(`- Anomaly on ${describeAnomaly(anomaly)}, ${anomaly.direction} (${anomaly.severity}) at ${anomaly.windowStart.toISOString().slice(0, 16).replace('T', ' ')} UTC`);
  }
  for (const movement of worse) {
    lines.push(`- ${movement.definition.name} moved the wrong way: ${describeMetricValue(movement.definition, movement.recent)} vs ${describeMetricValue(movement.definition, movement.before)} (${formatChange(movement.definition, movement.before, movement.recent)}).`);
  }
  if (incidents.length === 0 && anomalies.length === 0 && worse.length === 0) lines.push('Nothing stands out: no open incident, no anomaly, and no scanned metric moved the wrong way beyond its threshold.');
  lines.push(`Scanned: ${movements.map((movement) => movement.definition.key).join(', ')} (definitions v1; thresholds are relative changes against the earlier window).`);
  const figures: Figure[] = movements.flatMap((movement) => [
    toFigure(movement.definition.key, windows[0], null, movement.recent),
    toFigure(movement.definition.key, windows[1], null, movement.before),
  ]);
  return { text: lines.join('\n'), figures };
}

interface LedgerLoss {
  customerId: string;
  lost: number;
  kind: 'churn' | 'contraction';
}

function lossesIn(facts: MetricFacts, period: { from: Date; to: Date }, segment: string | null): LedgerLoss[] {
  return facts.mrrChanges
    .filter((row) => row.occurredAt >= period.from && row.occurredAt < period.to && row.mrrAfter < row.mrrBefore && row.mrrBefore > 0)
    .filter((row) => !segment || row.planKey === segment)
    .map((row) => ({ customerId: row.customerId, lost: row.mrrBefore - row.mrrAfter, kind: row.mrrAfter === 0 ? 'churn' : 'contraction' }));
}

/** "Which customers churned last month?" from the MRR ledger (a row that takes a paying customer to 0). */
export async function answerChurnedCustomers(context: MetricQuestionContext, named: NamedPeriod | null): Promise<Answer> {
  const period = named ?? defaultPeriod(metricDefinitions.mrr_churn!, context.now);
  const facts = await loadFactsFor(context.data, context.workspaceId, ['mrr_churn'], [period]);
  const churned = lossesIn(facts, period, null).filter((loss) => loss.kind === 'churn').sort((a, b) => b.lost - a.lost || a.customerId.localeCompare(b.customerId));
  const names = await context.data.readCustomerNames(context.workspaceId, churned.map((loss) => loss.customerId));
  const total = churned.reduce((sum, loss) => sum + loss.lost, 0);
  const shown = churned.slice(0, 20);
  const lines = shown.map((loss) => `- ${names.get(loss.customerId) ?? loss.customerId}: ${formatCents(loss.lost)} MRR lost`);
  const more = churned.length > shown.length ? `\n...and ${churned.length - shown.length} more.` : '';
  const header = `${churned.length} churn event${churned.length === 1 ? '' : 's'} in ${period.phrase} (${describeRange(period)}), ${formatCents(total)} MRR lost in total.`;
  const text = `${header}\n${lines.join('\n')}${more}\nDefinition: a churn is a ledger row that takes a paying customer's MRR to 0 (Churned MRR v1).`;
  return { text, figures: [toFigure('mrr_churn', period, null, total), toFigure('churn_events', period, null, churned.length)] };
}

/** "Which customers are at risk?": past-due subscriptions and failed payments, largest MRR first. */
export async function answerAtRisk(context: MetricQuestionContext): Promise<Answer> {
  const risks = await context.data.listAtRiskCustomers(context.workspaceId, context.now);
  if (risks.length === 0) return { text: 'No paying customer is past due or has a failed payment right now.', figures: [] };
  const total = risks.reduce((sum, risk) => sum + risk.mrr, 0);
  const lines = risks.slice(0, 20).map((risk) => `- ${risk.name}: ${formatCents(risk.mrr)} MRR (${risk.reason})`);
  const more = risks.length > 20 ? `\n...and ${risks.length - 20} more.` : '';
  const text = `${risks.length} customer${risks.length === 1 ? ' is' : 's are'} at risk, ${formatCents(total)} MRR in total:\n${lines.join('\n')}${more}\nAt risk means: a past-due subscription, or an unpaid invoice with a failed payment attempt.`;
  return { text, figures: [toFigure('at_risk_mrr', { from: context.now, to: context.now }, null, total), toFigure('at_risk_customers', { from: context.now, to: context.now }, null, risks.length)] };
}

export { lossesIn };
