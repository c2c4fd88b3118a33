/** What the workspace actually has, read by the db package and passed to the generator. */
export interface WorkspaceCapabilities {
  /** MRR ledger or invoices present; without it no revenue panel is generated. */
  hasBilling: boolean;
  /** Metric keys with at least one data point in the last 90 days. */
  metricsWithData: string[];
  /** Open and acknowledged incidents, most severe and newest first. */
  openIncidents: { id: string; title: string; severity: 'info' | 'warning' | 'critical'; metrics: string[] }[];
  /** Plan keys, for "by plan" breakdowns. */
  plans: string[];
  hasTickets: boolean;
  hasDeploys: boolean;
}

/** Reads a workspace's capabilities summary. */
export interface CapabilitiesPort {
  readCapabilities(workspaceId: string): Promise<WorkspaceCapabilities>;
}

/** Revenue metrics: shown only when billing data exists. */
export const revenueMetrics: ReadonlySet<string> = new Set([
  'mrr', 'mrr_new', 'mrr_expansion', 'mrr_contraction', 'mrr_churn', 'mrr_reactivation', 'arr', 'arpa', 'paying_customers',
  'customer_churn_rate', 'mrr_churn_rate', 'nrr', 'grr', 'quick_ratio', 'ltv', 'trial_conversion', 'failed_payments',
]);

/** Whether a metric may appear given the capabilities (revenue needs billing; others need data). */
export function canShowMetric(capabilities: WorkspaceCapabilities, metric: string): boolean {
  if (revenueMetrics.has(metric)) return capabilities.hasBilling;
  return capabilities.metricsWithData.includes(metric);
}

/** Watched metrics (what anomalies and incidents carry) to the metric key a dashboard chart shows, where that differs. */
const signalToMetric: Record<string, string> = {
  error_count: 'error_rate', request_count: 'request_rate', churned_customers: 'customer_churn_rate',
};

/** The metric key a chart shows for an anomaly's metric (`error_count` is charted as `error_rate`). */
export function metricKeyForSignal(signal: string): string {
  return signalToMetric[signal] ?? signal;
}

/** The detector series names whose anomalies belong on a chart of `metric`. */
export function signalsForMetric(metric: string): string[] {
  return [metric, ...Object.entries(signalToMetric).filter(([, key]) => key === metric).map(([signal]) => signal)];
}
