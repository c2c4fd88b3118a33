import { createAlertHold, classifySeverity, maxSeverity, type AlertHoldOptions, type Severity } from './alert-hold';
import type { AnomalyDirection, Detector, DetectorOutput, DetectorPoint } from './detector-types';

/** One fired alert episode on one metric, shaped like the stored Anomaly row. */
export interface AnomalyRecord {
  metric: string;
  segment: string;
  detector: string;
  /** First anomalous point of the episode (ms). */
  windowStart: number;
  /** Last anomalous point of the episode (ms). */
  windowEnd: number;
  /** Forecast, band and actual at the episode's strongest point. */
  expected: number;
  lower: number;
  upper: number;
  actual: number;
  score: number;
  direction: AnomalyDirection;
  severity: Severity;
}

export interface DetectAnomaliesOptions extends AlertHoldOptions {
  metric: string;
  segment?: string;
  /** A fresh detector; called once per series so no state leaks between series. */
  createDetector: () => Detector;
}

interface Episode {
  record: AnomalyRecord;
  active: boolean;
}

function startRecord(options: DetectAnomaliesOptions, detector: Detector, point: DetectorPoint, output: DetectorOutput): AnomalyRecord {
  return {
    metric: options.metric,
    segment: options.segment ?? '',
    detector: detector.name,
    windowStart: point.ts,
    windowEnd: point.ts,
    expected: output.expected,
    lower: output.lower,
    upper: output.upper,
    actual: point.value,
    score: output.score,
    direction: output.direction ?? 'up',
    severity: classifySeverity(output) ?? 'info',
  };
}

function extendRecord(record: AnomalyRecord, point: DetectorPoint, output: DetectorOutput): void {
  record.windowEnd = point.ts;
  const severity = classifySeverity(output);
  if (severity) record.severity = maxSeverity(record.severity, severity);
  if (output.score > record.score) {
    Object.assign(record, { expected: output.expected, lower: output.lower, upper: output.upper, actual: point.value, score: output.score });
    if (output.direction) record.direction = output.direction;
  }
}

/**
 * Runs a detector online over a series (in time order) behind a `for` /
 * `keep_firing_for` hold and returns one record per fired episode, spanning
 * its first to last anomalous point. Episodes that never fire (held for fewer
 * than `forPoints`) produce nothing; an episode still firing at the end is returned.
 */
export function detectAnomalies(points: readonly DetectorPoint[], options: DetectAnomaliesOptions): AnomalyRecord[] {
  const detector = options.createDetector();
  const hold = createAlertHold(options);
  const records: AnomalyRecord[] = [];
  let episode: Episode | null = null;
  for (const point of points) {
    const output = detector.observe(point);
    const step = hold.observe(output);
    if (output.isAnomaly) {
      if (!episode) episode = { record: startRecord(options, detector, point, output), active: false };
      else extendRecord(episode.record, point, output);
    }
    if (step.transition === 'fired' && episode) {
      episode.active = true;
      records.push(episode.record);
    }
    if (step.state === 'inactive') episode = null;
  }
  return records;
}
