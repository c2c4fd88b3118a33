/**
 * Signals intelligence: metric definitions and pure computation from facts,
 * incremental rollups, online anomaly detection, incident grouping and NAB scoring.
 */
export * from './metric-types';
export * from './metric-definitions';
export { computeMetricSeries, summariseMetric, type MetricSeries, type MetricSummary } from './compute-metric-series';
export { classifyMrrChange, summariseMrrPeriods, type ClassifiedMovement, type MovementKind, type MrrPeriodSummary } from './mrr-movements';
export { computeWeightedQuantile } from './activity-metrics';
export { applyEventsToDailyRollups, type RollupBucket, type RollupEvent, type RollupState } from './rollups';
export { enumeratePeriods, startOfBucket, nextBucketStart, type Period } from './time-buckets';
