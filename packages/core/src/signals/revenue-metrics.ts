import type { MrrPeriodSummary } from './mrr-movements';
import { periodDays, type Period } from './time-buckets';

const daysPerMonth = 30.4375;

function divide(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

/** Customer churn rate of the period (lost / paying at start). */
export function computeCustomerChurnRate(summary: MrrPeriodSummary): number | null {
  return divide(summary.customersLost, summary.payingAtStart);
}

function computeLifetimeValue(summary: MrrPeriodSummary, period: Period, monthly: boolean): number | null {
  const arpa = divide(summary.movements.end, summary.payingAtEnd);
  const churnRate = computeCustomerChurnRate(summary);
  if (arpa === null || churnRate === null || churnRate === 0) return null;
  const monthlyChurn = monthly ? churnRate : 1 - Math.pow(1 - churnRate, daysPerMonth / periodDays(period));
  return divide(arpa, monthlyChurn);
}

/**
 * Value of a ledger-derived metric for one period summary, following the
 * formula in its definition; null when the formula divides by zero.
 */
export function computeRevenueMetricValue(key: string, summary: MrrPeriodSummary, period: Period, monthly: boolean): number | null {
  const m = summary.movements;
  switch (key) {
    case 'mrr':
      return m.end;
    case 'arr':
      return m.end * 12;
    case 'mrr_new':
      return m.new;
    case 'mrr_expansion':
      return m.expansion;
    case 'mrr_contraction':
      return m.contraction;
    case 'mrr_churn':
      return m.churn;
    case 'mrr_reactivation':
      return m.reactivation;
    case 'paying_customers':
      return summary.payingAtEnd;
    case 'arpa':
      return divide(m.end, summary.payingAtEnd);
    case 'customer_churn_rate':
      return computeCustomerChurnRate(summary);
    case 'churned_customers':
      return summary.churns;
    case 'mrr_churn_rate':
      return divide(m.churn + m.contraction, m.start);
    case 'nrr':
      return divide(m.start + m.expansion + m.reactivation - m.contraction - m.churn, m.start);
    case 'grr':
      return divide(m.start - m.contraction - m.churn, m.start);
    case 'quick_ratio':
      return divide(m.new + m.expansion, m.contraction + m.churn);
    case 'ltv':
      return computeLifetimeValue(summary, period, monthly);
    default:
      return null;
  }
}

/** Metric keys computed from the MRR ledger. */
export const revenueMetricKeys: ReadonlySet<string> = new Set([
  'mrr', 'arr', 'mrr_new', 'mrr_expansion', 'mrr_contraction', 'mrr_churn', 'mrr_reactivation', 'paying_customers',
  'arpa', 'customer_churn_rate', 'churned_customers', 'mrr_churn_rate', 'nrr', 'grr', 'quick_ratio', 'ltv',
]);
