import type { UiSpec } from '../experience';

/**
 * The bulky part of a dashboard result, sent in the result's `_meta` (the
 * widget reads it as `window.openai.toolResponseMetadata`; the model never
 * sees it): the full layout spec and each panel's resolved data by element id.
 */
export interface DashboardWidgetData {
  kind: 'opspilot-dashboard';
  context: string;
  version: number;
  spec: UiSpec;
  panelData: Record<string, unknown>;
  /** Incident ids the widget may acknowledge (open ones). */
  acknowledgeable: string[];
}

/** Key under which result `_meta` carries {@link DashboardWidgetData}. */
export const dashboardMetaKey = 'opspilot/dashboard';
