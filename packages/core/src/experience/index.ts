/**
 * Experience: the panel catalog, the flat versioned layout spec, RFC 6902
 * patches (own implementation, every result re-validated), the deterministic
 * ui-designer generator and the versioned store service (history, rollback).
 * The console and the Apps widget render the same specs.
 */
export * from './catalog';
export * from './spec';
export * from './json-patch';
export * from './capabilities';
export { generateUiSpec, builtInContexts, UiContextPattern, elementPointer } from './generator';
export { planDashboardPatch, type DashboardChange } from './dashboard-request';
export * from './ports';
export * from './ui-experience-service';
export { computeExpectedBand, resolveQueryRange, type BandPoint } from './panel-data';
