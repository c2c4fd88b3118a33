import { CohortView, IncidentView, MetricBarsView, MetricTileView, TableBarsView, TableView, TimeSeriesView } from './panel-views';
import type { PanelData, UiElement } from './types';

export type QueryElement = Exclude<UiElement, { type: 'markdown' } | { type: 'section' }>;

/**
 * One panel's content from its resolved data: the same views in the console and in the Apps
 * widget. Panels that need an interactive page (approvals, the workflow canvas) show
 * `interactiveHint` instead.
 */
export function PanelBody({ id, element, data, interactiveHint }: { id: string; element: QueryElement; data: PanelData; interactiveHint: string }) {
  if (data.kind === 'unavailable') return <p className="empty">{data.reason}</p>;
  // The key lets the shared formatter read the quick ratio as a multiple, not a percent.
  const metricKey = element.query.kind === 'metric' ? element.query.metric : undefined;
  switch (element.type) {
    case 'metric-tile':
      return data.kind === 'metric' ? <MetricTileView data={data} metricKey={metricKey} testId={`value-${id}`} /> : null;
    case 'time-series':
      return data.kind === 'metric' ? <TimeSeriesView data={data} metricKey={metricKey} title={element.title} showBand={element.showExpectedBand} showAnomalies={element.showAnomalies} /> : null;
    case 'bar':
      if (data.kind === 'metric') return <MetricBarsView data={data} metricKey={metricKey} title={element.title} funnel={element.funnel} />;
      return data.kind === 'table' ? <TableBarsView data={data} title={element.title} /> : null;
    case 'table':
      return data.kind === 'table' ? <TableView data={data} caption={element.title} /> : null;
    case 'cohort-table':
      return data.kind === 'cohort' ? <CohortView data={data} /> : null;
    case 'incident':
      return data.kind === 'incidents' ? <IncidentView data={data} /> : null;
    case 'approval':
    case 'workflow-canvas':
      return <p className="empty">{interactiveHint}</p>;
  }
}
