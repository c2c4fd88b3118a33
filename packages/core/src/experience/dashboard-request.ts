import { AppError } from '../errors';
import type { PanelElement } from './catalog';
import { canShowMetric, type WorkspaceCapabilities } from './capabilities';
import { elementPointer } from './generator';
import { applyJsonPatch, escapeJsonPointerToken, type JsonPatchOperation } from './json-patch';
import { UiSpec } from './spec';

/** Words people use for each metric, most specific first. */
const metricWords: [RegExp, string][] = [
  [/\bmrr churn rate\b/, 'mrr_churn_rate'],
  [/\b(customer )?churn rate\b/, 'customer_churn_rate'],
  [/\bchurn(ed)?( mrr)?\b/, 'mrr_churn'],
  [/\bexpansion\b/, 'mrr_expansion'],
  [/\bcontraction\b/, 'mrr_contraction'],
  [/\bnew mrr\b/, 'mrr_new'],
  [/\barr\b|annual recurring/, 'arr'],
  [/\barpa\b|average revenue/, 'arpa'],
  [/\bnrr\b|net revenue retention/, 'nrr'],
  [/\bgrr\b|gross revenue retention/, 'grr'],
  [/\bquick ratio\b/, 'quick_ratio'],
  [/\bltv\b|lifetime value/, 'ltv'],
  [/\btrial/, 'trial_conversion'],
  [/\bpaying customers?\b|\bcustomers?\b/, 'paying_customers'],
  [/\bmrr\b|recurring revenue|\brevenue\b/, 'mrr'],
  [/\bsign-?ups?\b/, 'signups'],
  [/\bactive users?\b|\bdau\b|\busers\b/, 'active_users'],
  [/failed payments?|payment failures?/, 'failed_payments'],
  [/\bp50\b|median latency/, 'latency_p50'],
  [/\blatency\b|\bp95\b|response time/, 'latency_p95'],
  [/\berrors?\b|error rate/, 'error_rate'],
  [/\brequests?\b|traffic|throughput/, 'request_rate'],
  [/\btickets?\b|support/, 'ticket_volume'],
];

/** Metric families for removal: "remove the latency panel" removes p50 and p95. */
const metricFamilies: Record<string, string[]> = { latency_p95: ['latency_p50', 'latency_p95'], mrr_churn: ['mrr_churn', 'mrr_churn_rate', 'customer_churn_rate'] };

export interface DashboardChange {
  patch: JsonPatchOperation[];
  /** One sentence saying what the patch does, for the chat answer. */
  summary: string;
  /** The element added or the elements removed. */
  elementIds: string[];
}

function findMetric(text: string): string | null {
  return metricWords.find(([pattern]) => pattern.test(text))?.[1] ?? null;
}

const metricTitle = (metric: string) => metric.replace(/_/g, ' ').replace(/^./, (letter) => letter.toUpperCase());

function buildElement(text: string, metric: string, byPlan: boolean): PanelElement {
  const interval = /\bdaily\b|\bper day\b/.test(text) ? 'day' : /\bweekly\b/.test(text) ? 'week' : metric.startsWith('mrr') || metric.endsWith('rate') && !['error_rate', 'request_rate'].includes(metric) ? 'month' : 'day';
  const range = interval === 'day' ? '90d' : '365d';
  const query = { kind: 'metric' as const, metric, interval, range, ...(byPlan ? { groupBy: 'plan' as const } : {}) } as const;
  const title = `${metricTitle(metric)}${byPlan ? ' by plan' : ''}`;
  if (/\b(tile|number|kpi)\b/.test(text)) return { type: 'metric-tile', title, query };
  if (/\bbars?\b/.test(text)) return { type: 'bar', title, query, funnel: false };
  return { type: 'time-series', title, query, showExpectedBand: !byPlan, showAnomalies: !byPlan };
}

function planAddition(spec: UiSpec, text: string, capabilities: WorkspaceCapabilities | undefined): DashboardChange {
  const metric = findMetric(text);
  if (!metric) throw new AppError('BAD_REQUEST', `I could not tell which metric "${text}" is about; name one such as MRR, churn, sign-ups or latency.`);
  if (capabilities && !canShowMetric(capabilities, metric)) {
    throw new AppError('PRECONDITION_FAILED', `The workspace has no data for ${metricTitle(metric)} yet, so a panel would stay empty.`);
  }
  const byPlan = /\bby plan\b|\bper plan\b/.test(text);
  const element = buildElement(text, metric, byPlan);
  const base = `${element.type === 'metric-tile' ? 'tile' : 'chart'}-${metric.replace(/_/g, '-')}${byPlan ? '-by-plan' : ''}`;
  let id = base;
  for (let suffix = 2; spec.elements[id]; suffix += 1) id = `${base}-${suffix}`;
  const root = spec.elements[spec.root];
  const position = root?.type === 'section' ? firstNonIncidentIndex(spec, root.children) : 0;
  const patch: JsonPatchOperation[] = [
    { op: 'add', path: elementPointer(id), value: element },
    { op: 'add', path: `/elements/${escapeJsonPointerToken(spec.root)}/children/${position}`, value: id },
    { op: 'add', path: `/layout/placements/${escapeJsonPointerToken(id)}`, value: { span: element.type === 'metric-tile' ? 3 : 6, rows: 1 } },
  ];
  return { patch, summary: `Added "${element.title}" to the dashboard.`, elementIds: [id] };
}

/** New panels go right after the open incidents, which stay on top. */
function firstNonIncidentIndex(spec: UiSpec, children: string[]): number {
  const index = children.findIndex((child) => spec.elements[child]?.type !== 'incident');
  return index === -1 ? children.length : index;
}

function planRemoval(spec: UiSpec, text: string): DashboardChange {
  const metric = findMetric(text);
  const family = metric ? (metricFamilies[metric] ?? [metric]) : [];
  const words = text.replace(/\b(remove|delete|hide|drop|the|a|an|panel|chart|graph|tile|from|dashboard|please)\b/g, ' ').trim().split(/\s+/).filter((word) => word.length > 2);
  const matches = Object.entries(spec.elements).filter(([, element]) => {
    if (element.type === 'section') return false;
    if ('query' in element && element.query.kind === 'metric' && family.includes(element.query.metric)) return true;
    const title = (element.title ?? '').toLowerCase();
    return family.length === 0 && words.length > 0 && words.every((word) => title.includes(word));
  }).map(([id]) => id);
  if (matches.length === 0) throw new AppError('NOT_FOUND', `No panel on this dashboard matches "${text}".`);
  const patch: JsonPatchOperation[] = [];
  for (const [parentId, parent] of Object.entries(spec.elements)) {
    if (parent.type !== 'section') continue;
    const indexes = parent.children.map((child, index) => (matches.includes(child) ? index : -1)).filter((index) => index >= 0).sort((a, b) => b - a);
    for (const index of indexes) {
      const childPath = `/elements/${escapeJsonPointerToken(parentId)}/children/${index}`;
      patch.push({ op: 'test', path: childPath, value: parent.children[index] }, { op: 'remove', path: childPath });
    }
  }
  for (const id of matches) {
    patch.push({ op: 'remove', path: elementPointer(id) });
    if (spec.layout.placements[id]) patch.push({ op: 'remove', path: `/layout/placements/${escapeJsonPointerToken(id)}` });
  }
  return { patch, summary: `Removed ${matches.length} panel${matches.length === 1 ? '' : 's'} (${matches.join(', ')}).`, elementIds: matches };
}

/**
 * Turns a plain-language dashboard request ("add a churn chart by plan", "add
 * an MRR chart", "remove the latency panel") into an RFC 6902 patch against
 * `spec`. The patch is checked before it is returned: applying it to `spec`
 * yields a valid spec. Pass `capabilities` to refuse panels the workspace has
 * no data for.
 *
 * @throws AppError BAD_REQUEST when no metric or verb is recognised,
 *   NOT_FOUND when nothing matches a removal, PRECONDITION_FAILED when the
 *   metric has no data.
 */
export function planDashboardPatch(spec: UiSpec, request: string, capabilities?: WorkspaceCapabilities): DashboardChange {
  const text = request.toLowerCase().replace(/\s+/g, ' ').trim();
  const change = /\b(remove|delete|hide|drop)\b/.test(text) ? planRemoval(spec, text) : planAddition(spec, text, capabilities);
  const checked = UiSpec.safeParse(applyJsonPatch(spec, change.patch));
  if (!checked.success) throw new AppError('INTERNAL', `The planned patch for "${request}" does not give a valid spec: ${checked.error.issues[0]?.message ?? 'invalid'}`);
  return change;
}
