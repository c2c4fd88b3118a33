import { listPanelsInOrder } from '@opspilot/core/experience';
import { dashboardMetaKey, type DashboardResult, type DashboardWidgetData } from '@opspilot/core/apps';
import type { appRouter } from '../router';

export type McpCaller = ReturnType<typeof appRouter.createCaller>;

/** A dashboard in the three result lanes: short text, the panel list, and spec plus panel data for the widget. */
export interface DashboardLanes {
  text: string;
  structured: DashboardResult;
  meta: Record<string, unknown>;
}

/**
 * Reads a context's spec and resolves every panel's data through the same
 * procedures the console calls (`ui.get`, `ui.panelData`), so the widget and
 * the console show the same numbers. A panel that fails is sent as
 * `unavailable` with the reason instead of failing the whole dashboard.
 */
export async function readDashboard(caller: McpCaller, workspaceId: string, context: string): Promise<DashboardLanes> {
  const schema = await caller.ui.get({ workspaceId, context });
  const panels = listPanelsInOrder(schema.spec);
  const panelData: Record<string, unknown> = {};
  const acknowledgeable = new Set<string>();
  // Panels resolve concurrently (on PostgreSQL they use separate connections); each failure stays in its panel.
  await Promise.all(panels.map(async ({ id, element }) => {
    if (element.type === 'markdown' || element.type === 'section') return;
    try {
      const data = await caller.ui.panelData({ workspaceId, query: element.query });
      panelData[id] = data;
      if (data.kind === 'incidents') data.incidents.filter((incident) => incident.status === 'open').forEach((incident) => acknowledgeable.add(incident.id));
    } catch (error) {
      panelData[id] = { kind: 'unavailable', reason: error instanceof Error ? error.message : 'This panel could not load.' };
    }
  }));
  const widgetData: DashboardWidgetData = {
    kind: 'opspilot-dashboard', context: schema.context, version: schema.version, spec: schema.spec, panelData, acknowledgeable: [...acknowledgeable],
  };
  const structured: DashboardResult = {
    context: schema.context,
    version: schema.version,
    title: schema.spec.title,
    panels: panels.map(({ id, element }) => ({ id, type: element.type, title: element.title ?? '' })),
  };
  const titles = structured.panels.map((panel) => panel.title).filter(Boolean).slice(0, 6).join(', ');
  return {
    text: `${schema.spec.title} (version ${schema.version}): ${structured.panels.length} panels${titles ? ` — ${titles}` : ''}.`,
    structured,
    meta: { [dashboardMetaKey]: widgetData },
  };
}
