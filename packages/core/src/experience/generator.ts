import { escapeJsonPointerToken } from './json-patch';
import type { PanelElement } from './catalog';
import { canShowMetric, metricKeyForSignal, type WorkspaceCapabilities } from './capabilities';
import { UiSpec, uiSpecFormatVersion, type Placement } from './spec';

/** Contexts with a built-in design; any other name gets the custom design. */
export const builtInContexts = ['main_dashboard', 'revenue', 'reliability'] as const;

/** `incident:<id>` or one of the built-ins or a custom name. */
export const UiContextPattern = /^(main_dashboard|revenue|reliability|incident:[A-Za-z0-9_-]{1,64}|[a-z][a-z0-9_-]{0,63})$/;

interface DraftPanel {
  id: string;
  element: PanelElement;
  span: number;
}

const tile = (metric: string, title: string): DraftPanel => ({
  id: `tile-${metric.replace(/_/g, '-')}`,
  element: { type: 'metric-tile', title, query: { kind: 'metric', metric, interval: 'month', range: '90d' } },
  span: 3,
});

const chart = (metric: string, title: string, interval: 'day' | 'week' | 'month', range: '30d' | '90d' | '365d'): DraftPanel => ({
  id: `chart-${metric.replace(/_/g, '-')}`,
  element: { type: 'time-series', title, query: { kind: 'metric', metric, interval, range }, showExpectedBand: true, showAnomalies: true },
  span: 6,
});

function incidentPanels(capabilities: WorkspaceCapabilities): DraftPanel[] {
  return capabilities.openIncidents.slice(0, 3).map((incident) => ({
    id: `incident-${incident.id.toLowerCase().replace(/[^a-z0-9-]/g, '-').slice(0, 48)}`,
    element: { type: 'incident', title: incident.title.slice(0, 120) || 'Open incident', query: { kind: 'incidents', status: 'open', incidentId: incident.id, limit: 1 } },
    span: 12,
  }));
}

function keep(capabilities: WorkspaceCapabilities, panels: DraftPanel[]): DraftPanel[] {
  return panels.filter((panel) => {
    const query = 'query' in panel.element ? panel.element.query : null;
    return query?.kind !== 'metric' || canShowMetric(capabilities, query.metric);
  });
}

function mainDashboard(capabilities: WorkspaceCapabilities): DraftPanel[] {
  const panels = keep(capabilities, [
    tile('mrr', 'MRR'), tile('paying_customers', 'Paying customers'), tile('active_users', 'Active users'), tile('signups', 'Sign-ups'),
    chart('mrr', 'MRR', 'week', '365d'), chart('signups', 'Daily sign-ups', 'day', '90d'),
    chart('active_users', 'Daily active users', 'day', '90d'), chart('error_rate', 'Error rate', 'day', '90d'),
  ]);
  if (capabilities.hasBilling) {
    panels.push({ id: 'bar-mrr-movements', element: { type: 'bar', title: 'MRR movements', query: { kind: 'table', source: 'mrr-movements', limit: 6 }, funnel: false }, span: 6 });
  }
  if (capabilities.hasDeploys) panels.push({ id: 'table-deploys', element: { type: 'table', title: 'Recent deploys', query: { kind: 'table', source: 'recent-deploys', limit: 5 } }, span: 6 });
  return [...incidentPanels(capabilities), ...panels];
}

function revenue(capabilities: WorkspaceCapabilities): DraftPanel[] {
  if (!capabilities.hasBilling) return [];
  return [
    ...incidentPanels(capabilities).filter((panel) => panel.element.type === 'incident'),
    tile('mrr', 'MRR'), tile('arr', 'ARR'), tile('arpa', 'ARPA'), tile('nrr', 'Net revenue retention'),
    chart('mrr', 'MRR', 'week', '365d'), chart('mrr_churn', 'Churned MRR', 'month', '365d'),
    { id: 'bar-mrr-movements', element: { type: 'bar', title: 'MRR movements', query: { kind: 'table', source: 'mrr-movements', limit: 6 }, funnel: false }, span: 6 },
    { id: 'cohort-retention', element: { type: 'cohort-table', title: 'Paying cohorts', query: { kind: 'cohort', months: 6 } }, span: 6 },
    { id: 'table-top-customers', element: { type: 'table', title: 'Top customers', query: { kind: 'table', source: 'top-customers', limit: 10 } }, span: 6 },
    { id: 'table-failed-invoices', element: { type: 'table', title: 'Failed invoices', query: { kind: 'table', source: 'failed-invoices', limit: 10 } }, span: 6 },
  ];
}

function reliability(capabilities: WorkspaceCapabilities): DraftPanel[] {
  const panels = keep(capabilities, [
    tile('error_rate', 'Error rate'), tile('latency_p95', 'Latency p95'), tile('request_rate', 'Request rate'), tile('ticket_volume', 'Tickets'),
    chart('error_rate', 'Error rate', 'day', '30d'), chart('latency_p95', 'Latency p95', 'day', '30d'), chart('ticket_volume', 'Ticket volume', 'day', '90d'),
  ]);
  if (capabilities.hasDeploys) panels.push({ id: 'table-deploys', element: { type: 'table', title: 'Recent deploys', query: { kind: 'table', source: 'recent-deploys', limit: 10 } }, span: 6 });
  if (capabilities.hasTickets) panels.push({ id: 'table-tickets', element: { type: 'table', title: 'Open tickets', query: { kind: 'table', source: 'open-tickets', limit: 10 } }, span: 6 });
  return [...incidentPanels(capabilities), ...panels];
}

function incidentContext(capabilities: WorkspaceCapabilities, incidentId: string): DraftPanel[] {
  const incident = capabilities.openIncidents.find((candidate) => candidate.id === incidentId);
  const panels: DraftPanel[] = [{ id: 'incident', element: { type: 'incident', title: incident?.title.slice(0, 120) || 'Incident', query: { kind: 'incidents', status: 'all', incidentId, limit: 1 } }, span: 12 }];
  for (const metric of new Set((incident?.metrics ?? []).map(metricKeyForSignal))) {
    const daily = chart(metric, metric.replace(/_/g, ' ').replace(/^./, (letter) => letter.toUpperCase()), 'day', '30d');
    if (canShowMetric(capabilities, metric)) panels.push(daily);
  }
  return panels;
}

function customContext(capabilities: WorkspaceCapabilities): DraftPanel[] {
  return keep(capabilities, [tile('mrr', 'MRR'), tile('active_users', 'Active users'), chart('signups', 'Daily sign-ups', 'day', '90d')]);
}

function emptyNote(context: string, capabilities: WorkspaceCapabilities): DraftPanel {
  const body = context === 'revenue' && !capabilities.hasBilling
    ? 'No billing data yet, so there is nothing to show about revenue. Connect Stripe under Integrations or send billing events to the ingest API, then regenerate this layout.'
    : 'There is no data for this view yet. Send events to the ingest API or connect an integration, then regenerate this layout.';
  return { id: 'note-empty', element: { type: 'markdown', title: 'Nothing to show yet', body }, span: 12 };
}

const titles: Record<string, string> = { main_dashboard: 'Dashboard', revenue: 'Revenue', reliability: 'Reliability' };

/**
 * The ui-designer's deterministic design for a context, from what the
 * workspace actually has: open incidents come first; revenue panels appear
 * only with billing data; metric panels only for metrics with data. The
 * same capabilities always give the same spec.
 */
export function generateUiSpec(context: string, capabilities: WorkspaceCapabilities): UiSpec {
  const incidentId = context.startsWith('incident:') ? context.slice('incident:'.length) : null;
  let panels: DraftPanel[];
  if (incidentId) panels = incidentContext(capabilities, incidentId);
  else if (context === 'main_dashboard') panels = mainDashboard(capabilities);
  else if (context === 'revenue') panels = revenue(capabilities);
  else if (context === 'reliability') panels = reliability(capabilities);
  else panels = customContext(capabilities);
  if (panels.length === 0) panels = [emptyNote(context, capabilities)];
  const unique = [...new Map(panels.map((panel) => [panel.id, panel])).values()];
  const placements: Record<string, Placement> = { root: { span: 12, rows: 1 } };
  for (const panel of unique) placements[panel.id] = { span: panel.span, rows: 1 };
  return UiSpec.parse({
    version: uiSpecFormatVersion,
    title: incidentId ? `Incident ${incidentId}` : (titles[context] ?? context.replace(/[_-]/g, ' ')),
    root: 'root',
    elements: { root: { type: 'section', children: unique.map((panel) => panel.id) }, ...Object.fromEntries(unique.map((panel) => [panel.id, panel.element])) },
    layout: { columns: 12, placements },
  });
}

/** The pointer to an element, escaped. */
export function elementPointer(id: string): string {
  return `/elements/${escapeJsonPointerToken(id)}`;
}
