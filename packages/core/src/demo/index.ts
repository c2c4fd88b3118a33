/**
 * The demo business: a deterministic year of a B2B SaaS ("Acme Analytics")
 * with planted incidents and their ground truth. Pure data; the db package
 * loads it.
 */
export {
  generateDemoDataset,
  countDemoRows,
  GenerateDemoInput,
  defaultDemoSeed,
  defaultDemoWorkspaceId,
  demoGeneratorVersion,
} from './generate';
export { computeDemoChecksum, expandMetricPoints } from './checksum';
export {
  demoIncidents,
  groundTruthFor,
  DemoIncident,
  DemoIncidentKind,
  type GroundTruthWindow,
} from './incidents';
export { demoDunningScheduleDays, failedPaymentAttempts } from './billing';
export { monthlyRecurringRevenue } from './plans';
export { normaliseAnchor, demoDays } from './calendar';
export { createRandom, deriveSeed, type Random } from './random';
export type * from './types';
