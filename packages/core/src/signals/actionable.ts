import type { AnomalyDirection } from './detector-types';
import { findDetectionSeries, type DetectionSeriesSpec } from './detection-series';
import { metricDefinitions } from './metric-definitions';

/**
 * Whether moving `metric` in `direction` is bad for the business: against the
 * definition's direction of good (a latency drop or a revenue rise is good news).
 * A metric without a definition has no known good side, so either way is worth a look.
 */
export function isBadDirection(metric: string, direction: AnomalyDirection): boolean {
  const definition = metricDefinitions[metric];
  return definition === undefined || direction !== definition.directionOfGood;
}

/**
 * The one rule for whether an anomaly is worth acting on (opening an incident,
 * being offered to remediation policies): it moved its metric the bad way and,
 * for a watched count series with a minimum excess, by at least that many events.
 * Values are in the series' own units (as stored). `spec` defaults to the
 * watched series of the metric.
 */
export function isActionableAnomaly(
  anomaly: { metric: string; direction: AnomalyDirection; actual: number; expected: number },
  spec: Pick<DetectionSeriesSpec, 'minimumExcess'> | undefined = findDetectionSeries(anomaly.metric),
): boolean {
  if (!isBadDirection(anomaly.metric, anomaly.direction)) return false;
  const minimumExcess = spec?.minimumExcess;
  return minimumExcess === undefined || Math.abs(anomaly.actual - anomaly.expected) >= minimumExcess;
}
