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

/** Detector series names (what anomalies and incidents carry) to the metric key a chart shows. */
const signalToMetric: Record<string, string> = {
  api_errors: 'error_rate', api_requests: 'request_rate', api_latency_p95_ms: 'latency_p95', api_latency_p50_ms: 'latency_p50', customer_churn: 'customer_churn_rate',
};

/** The metric key for an anomaly's series name (`api_errors` is charted as `error_rate`). */
export function metricKeyForSignal(signal: string): string {
  return signalToMetric[signal] ?? signal;
}

/** The detector series names whose anomalies belong on a chart of `metric`. */
export function signalsForMetric(metric: string): string[] {
  return [metric, ...Object.entries(signalToMetric).filter(([, key]) => key === metric).map(([signal]) => signal)];
}
