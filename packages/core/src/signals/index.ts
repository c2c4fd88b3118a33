/**
 * Signals intelligence: metric definitions and pure computation from facts,
 * incremental rollups, online anomaly detection, incident grouping and NAB scoring.
 */
export * from './metric-types';
export * from './metric-definitions';
export {
  formatMetricValue, formatMoneyValue, formatShareValue, isShareMetric, type FormatMetricValueOptions, type MetricFormatSubject, type MetricValueStyle,
} from './format-metric-value';
export { computeMetricSeries, summariseMetric, type MetricSeries, type MetricSummary } from './compute-metric-series';
export { classifyMrrChange, summariseMrrPeriods, type ClassifiedMovement, type MovementKind, type MrrPeriodSummary } from './mrr-movements';
export { computeWeightedQuantile } from './activity-metrics';
export { applyEventsToDailyRollups, type RollupBucket, type RollupEvent, type RollupState } from './rollups';
export { enumeratePeriods, startOfBucket, nextBucketStart, type Period } from './time-buckets';
export {
  scoreDeviation, buildOutput, buildWarmupOutput, createSpreadTracker, floorScale,
  type AnomalyDirection, type Detector, type DetectorOutput, type DetectorPoint,
} from './detector-types';
export { createStreamingDetector, type StreamingDetectorOptions } from './streaming-detector';
export { createSeasonalModel, detectSeasonPeriods, estimateStepMs, type SeasonalModel, type SeasonalModelOptions } from './seasonal-detector';
export { createCombinedDetector, type CombinedDetectorOptions } from './combined-detector';
export { createEpisodeDetector, createProductionDetector, type ProductionDetectorOptions } from './production-detector';
export { classifySeverity, createAlertHold, maxSeverity, type AlertHold, type AlertHoldOptions, type AlertState, type AlertStep, type Severity } from './alert-hold';
export { detectAnomalies, type AnomalyRecord, type DetectAnomaliesOptions } from './detect-anomalies';
export {
  areMetricsRelated, assignAnomalyToIncident, buildIncidentTitle, describeMetricName, groupAnomaliesIntoIncidents, transitionIncident,
  type GroupingOptions, type IncidentAction, type IncidentRecord, type IncidentStatus,
} from './incidents';
export { assignNabRowRoles, nabProfiles, optimiseNabThreshold, probationLength, scaledSigmoid, type NabFile, type NabProfile, type NabResult } from './nab-scoring';
export { formatScoredCsv, parseNabCsv, parseNabTimestamp, type NabSeries } from './nab-csv';
export * from './ingest-schemas';
export * from './signals-ports';
export * from './webhook-verification';
export * from './signals-service';
export { applyStripeEvent, computeCustomerMrr, mappedStripeEventTypes } from './signals-service-stripe';
export {
  describeAnomalyValues, detectionSeries, findDetectionSeries, fromAnscombe, loadWatchedSeries, prepareSeries, readWatchedSeries, sumTrailingWindows, toSeriesUnits,
  type AnomalyValueDescription, type DetectionSeriesSpec,
} from './detection-series';
export { isActionableAnomaly, isBadDirection } from './actionable';
export { incidentGapToleranceMs, runDetection, type DetectionSummary, type RunDetectionOptions } from './signals-service-detection';
