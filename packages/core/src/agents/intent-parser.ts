import { parsePeriods, type NamedPeriod } from './periods';

/** Metric synonyms, longest first so "mrr churn rate" wins over "mrr". */
const metricSynonyms: [string, string[]][] = [
  ['mrr_churn_rate', ['mrr churn rate', 'revenue churn rate', 'revenue churn', 'gross revenue churn']],
  ['mrr_new', ['new mrr', 'new business mrr', 'new business revenue', 'new revenue']],
  ['mrr_expansion', ['expansion mrr', 'expansion revenue', 'expansion', 'upgrades']],
  ['mrr_contraction', ['contraction mrr', 'contraction', 'downgrades']],
  ['mrr_churn', ['churned mrr', 'mrr churned', 'lost mrr', 'mrr lost', 'churned revenue', 'revenue lost to churn']],
  ['mrr_reactivation', ['reactivation mrr', 'reactivations', 'reactivation']],
  ['nrr', ['net revenue retention', 'net dollar retention', 'net retention', 'nrr', 'ndr']],
  ['grr', ['gross revenue retention', 'gross retention', 'grr']],
  ['quick_ratio', ['saas quick ratio', 'quick ratio']],
  ['ltv', ['customer lifetime value', 'lifetime value', 'ltv', 'clv']],
  ['arpa', ['average revenue per account', 'average revenue per customer', 'arpa', 'arpu']],
  ['arr', ['annual recurring revenue', 'annualized revenue', 'run rate', 'arr']],
  ['customer_churn_rate', ['customer churn rate', 'logo churn', 'churn rate', 'customer churn', 'churn']],
  ['trial_conversion', ['trial conversion rate', 'trial conversion', 'trial to paid', 'trial-to-paid', 'conversion rate', 'conversion']],
  ['signups', ['new signups', 'sign-ups', 'sign ups', 'signups', 'new accounts', 'registrations']],
  ['failed_payments', ['failed payments', 'payment failures', 'failed charges', 'failed invoices', 'payment failure']],
  ['ticket_volume', ['support tickets', 'ticket volume', 'tickets']],
  ['error_rate', ['error rate', 'errors']],
  ['request_rate', ['request rate', 'throughput', 'traffic']],
  ['latency_p50', ['median latency', 'p50 latency', 'latency p50', 'p50']],
  ['latency_p95', ['p95 latency', 'latency p95', 'p95', 'latency', 'response time']],
  ['mrr', ['monthly recurring revenue', 'recurring revenue', 'mrr', 'revenue']],
  ['paying_customers', ['paying customers', 'number of customers', 'customer count', 'paying accounts', 'customers']],
];

export type Intent =
  | { kind: 'confirmation'; text: string }
  | { kind: 'metric-value'; metric: string; period: NamedPeriod | null; segment: string | null }
  | { kind: 'metric-trend'; metric: string; period: NamedPeriod | null; segment: string | null }
  | { kind: 'compare'; metric: string; periods: NamedPeriod[]; segment: string | null }
  | { kind: 'breakdown'; metric: string; period: NamedPeriod | null }
  | { kind: 'what-is-wrong'; period: NamedPeriod | null }
  | { kind: 'why'; metric: string; period: NamedPeriod | null; claimed: 'up' | 'down' | null }
  | { kind: 'churned-customers'; period: NamedPeriod | null }
  | { kind: 'at-risk' }
  | { kind: 'workflow-list' }
  | { kind: 'workflow-run'; text: string; mode: 'run' | 'propose' }
  | { kind: 'dashboard'; metric: string | null; context: string }
  | { kind: 'unknown' };

export interface ParseIntentContext {
  now: Date;
  /** Plan keys and names of the workspace, to recognise "on the Growth plan". */
  plans: { key: string; name: string }[];
}

/** The metric a phrase names, or null. Whole words only. */
export function findMetric(text: string): string | null {
  const lower = ` ${text.toLowerCase().replace(/[^a-z0-9\- ]+/g, ' ')} `;
  let best: { metric: string; index: number; length: number } | null = null;
  for (const [metric, synonyms] of metricSynonyms) {
    for (const synonym of synonyms) {
      const index = lower.indexOf(` ${synonym} `);
      if (index < 0) continue;
      if (!best || synonym.length > best.length) best = { metric, index, length: synonym.length };
    }
  }
  return best?.metric ?? null;
}

function findPlan(text: string, plans: ParseIntentContext['plans']): string | null {
  const lower = text.toLowerCase();
  const plan = plans.find((candidate) => new RegExp(`\\b(${candidate.key}|${candidate.name.toLowerCase()})\\b(?:\\s+(?:plan|tier|customers|segment))`).test(lower));
  return plan?.key ?? null;
}

const patterns = {
  confirmation: /^\s*(yes|yep|yeah|y|ok|okay|sure|approve|approved|i approve|go ahead|do it|confirm|confirmed|proceed|please do)[\s.!]*$/i,
  dashboard: /\b(dashboard|panel|widget|pin|chart)\b/i,
  workflowList: /\b(which|what|list|show)\b.*\b(workflows|playbooks|runbooks|automations)\b/i,
  workflowRun: /\b(run|start|trigger|execute|launch|kick off|propose|suggest)\b.*\b(workflow|playbook|runbook|automation)\b|\b(workflow|playbook|runbook)\b.*\b(run|start|trigger|execute)\b/i,
  propose: /\b(propose|suggest|recommend|should we)\b/i,
  atRisk: /\bat[- ]risk\b|\blikely to churn\b|\b(might|could|about to) (churn|cancel|leave)\b|\brisky\b/i,
  churnedCustomers: /\b(which|who|what|list|name|show)\b.*\b(customers?|accounts?|clients?)\b.*\b(churned|cancel(l)?ed|left|lost)\b|\bwho (churned|cancel(l)?ed|left)\b|\bchurned (customers|accounts)\b|\b(customers|accounts) (who|that) (churned|cancel(l)?ed|left)\b/i,
  why: /^\s*why\b|\bwhat (caused|drove|explains|is driving|is behind)\b|\breason (for|behind)\b|\bexplain (the|why)\b|\bmovements? behind\b|\bdrivers? of\b/i,
  wrong: /\bwhat('?s| is| was) (wrong|broken|going on|happening)\b|\banything (wrong|unusual|broken)\b|\bproblems?\b|\bissues?\b|\bincidents?\b|\banomal(y|ies)\b|\bgoing wrong\b|\balerts?\b|\bhealth\b/i,
  compare: /\b(vs\.?|versus|compared? (to|with)|compare|against)\b/i,
  breakdown: /\b(by|per|each|across) (plan|plans|segment|segments|tier|tiers)\b|\bplan breakdown\b|\bwhich plans?\b|\bwhat plans?\b/i,
  trend: /\btrend(s|ing)?\b|\bover time\b|\b(by|per|each|every) (month|week|day)\b|\bmonthly\b(?! recurring)|\bweekly\b|\bhistory\b|\btrajectory\b|\bevolv(e|ed|ing)\b|\b(growing|grown|grew|growth rate)\b/i,
};

/** The movement a question takes for granted ("why did churn go up?"), or null when it names none. */
export function findClaimedDirection(text: string): 'up' | 'down' | null {
  if (/\b(go(ne)? up|went up|ris(e|en|ing)|rose|increas(e|ed|ing)|grow(n|ing)?|grew|jump(ed)?|spik(e|ed)|climb(ed)?|higher)\b/i.test(text)) return 'up';
  if (/\b(go(ne)? down|went down|drop(ped)?|f(a|e)ll(en)?|declin(e|ed|ing)|decreas(e|ed|ing)|dip(ped)?|shr(a|u)nk|lower)\b/i.test(text)) return 'down';
  return null;
}

/**
 * A small intent grammar for the built-in reasoner: the kind of question,
 * the metric (by synonym), the periods ("last month", "in March",
 * "this quarter vs last quarter") and a plan segment. Returns `unknown`
 * rather than guessing.
 */
export function parseIntent(text: string, context: ParseIntentContext): Intent {
  if (patterns.confirmation.test(text)) return { kind: 'confirmation', text };
  const periods = parsePeriods(text, context.now);
  const period = periods[0] ?? null;
  const metric = findMetric(text);
  const segment = findPlan(text, context.plans);
  if (patterns.workflowList.test(text)) return { kind: 'workflow-list' };
  if (patterns.workflowRun.test(text)) return { kind: 'workflow-run', text, mode: patterns.propose.test(text) ? 'propose' : 'run' };
  if (patterns.dashboard.test(text)) return { kind: 'dashboard', metric, context: /\brevenue\b/i.test(text) && /\bpage\b/i.test(text) ? 'revenue' : 'main_dashboard' };
  if (patterns.atRisk.test(text)) return { kind: 'at-risk' };
  if (patterns.churnedCustomers.test(text)) return { kind: 'churned-customers', period };
  if (patterns.why.test(text)) return { kind: 'why', metric: metric ?? 'mrr', period, claimed: findClaimedDirection(text) };
  if (!metric && patterns.wrong.test(text)) return { kind: 'what-is-wrong', period };
  if (!metric) return patterns.breakdown.test(text) ? { kind: 'breakdown', metric: 'mrr', period } : { kind: 'unknown' };
  if (periods.length >= 2 || patterns.compare.test(text)) return { kind: 'compare', metric, periods, segment };
  if (patterns.breakdown.test(text)) return { kind: 'breakdown', metric, period };
  if (patterns.trend.test(text)) return { kind: 'metric-trend', metric, period, segment };
  return { kind: 'metric-value', metric, period, segment };
}
