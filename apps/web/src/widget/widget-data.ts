import type { DashboardResult, DashboardWidgetData } from '@opspilot/core/apps';
import type { PanelData, UiElement } from '../components/dashboard/types';

/** Mirrors `dashboardMetaKey` of @opspilot/core/apps (a value import would pull node:crypto into the page). */
export const dashboardMetaKey = 'opspilot/dashboard';

export interface DashboardView {
  context: string;
  version: number;
  title: string;
  elements: Record<string, UiElement>;
  order: string[];
  spans: Record<string, number>;
  panelData: Record<string, PanelData | undefined>;
  acknowledgeable: string[];
}

function isDashboardData(value: unknown): value is DashboardWidgetData {
  return !!value && typeof value === 'object' && (value as { kind?: unknown }).kind === 'opspilot-dashboard';
}

/**
 * The dashboard to render from a tool result: the spec and panel data from
 * `_meta` (toolResponseMetadata), the small `structuredContent` (toolOutput)
 * only to know which context it is. Null when the result carries no dashboard.
 */
export function readDashboardView(toolOutput: unknown, metadata: Record<string, unknown> | null): DashboardView | null {
  const data = metadata?.[dashboardMetaKey];
  if (!isDashboardData(data)) return null;
  const output = (toolOutput ?? {}) as Partial<DashboardResult>;
  const root = data.spec.elements[data.spec.root];
  const order = root?.type === 'section' ? root.children : [];
  const spans: Record<string, number> = {};
  for (const id of order) spans[id] = data.spec.layout.placements[id]?.span ?? 6;
  return {
    context: data.context, version: data.version, title: output.title ?? data.spec.title,
    elements: data.spec.elements, order, spans,
    panelData: data.panelData as Record<string, PanelData | undefined>, acknowledgeable: data.acknowledgeable,
  };
}
