import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@opspilot/api';

type Outputs = inferRouterOutputs<AppRouter>;
export type UiSchemaOutput = Outputs['ui']['get'];
export type UiElement = UiSchemaOutput['spec']['elements'][string];
export type PanelData = Outputs['ui']['panelData'];
export type MetricData = Extract<PanelData, { kind: 'metric' }>;
export type IncidentsData = Extract<PanelData, { kind: 'incidents' }>;
export type TableData = Extract<PanelData, { kind: 'table' }>;
export type CohortData = Extract<PanelData, { kind: 'cohort' }>;
