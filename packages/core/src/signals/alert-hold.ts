import type { DetectorOutput } from './detector-types';

export type Severity = 'info' | 'warning' | 'critical';

const severityRank: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** The more severe of two severities. */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return severityRank[a] >= severityRank[b] ? a : b;
}

/**
 * Severity of an anomalous output from its score: info at the alert level
 * (score 0.5, one alert deviation), warning at twice it (0.75), critical at
 * three times (0.875). Null when the point is not anomalous.
 */
export function classifySeverity(output: Pick<DetectorOutput, 'isAnomaly' | 'score'>): Severity | null {
  if (!output.isAnomaly) return null;
  if (output.score >= 0.875) return 'critical';
  if (output.score >= 0.75) return 'warning';
  return 'info';
}

export interface AlertHoldOptions {
  /** Consecutive anomalous points needed before the alert fires (Prometheus `for`); 1 fires at once. */
  forPoints?: number;
  /** Points an alert keeps firing after the condition clears (Prometheus `keep_firing_for`). */
  keepFiringForPoints?: number;
}

export type AlertState = 'inactive' | 'pending' | 'firing';

export interface AlertStep {
  state: AlertState;
  /** `fired` on the point an alert starts firing, `resolved` on the point it stops. */
  transition: 'none' | 'fired' | 'resolved';
  /** Highest severity seen since the alert went pending; null when inactive. */
  severity: Severity | null;
}

/** Stateful hold over a stream of detector outputs, so a flapping metric fires once, not at every point. */
export interface AlertHold {
  observe(output: Pick<DetectorOutput, 'isAnomaly' | 'score'>): AlertStep;
  state(): AlertState;
}

/**
 * Prometheus-style alert semantics on points: the condition must hold
 * `forPoints` points in a row to fire; once firing, it stays firing until
 * the condition has been false for `keepFiringForPoints` points in a row, so
 * short gaps inside one episode do not open a new incident.
 */
export function createAlertHold(options: AlertHoldOptions = {}): AlertHold {
  const forPoints = Math.max(1, options.forPoints ?? 1);
  const keepFiringFor = Math.max(0, options.keepFiringForPoints ?? 0);
  let state: AlertState = 'inactive';
  let streak = 0;
  let quiet = 0;
  let severity: Severity | null = null;
  return {
    state: () => state,
    observe(output): AlertStep {
      const pointSeverity = classifySeverity(output);
      if (pointSeverity) {
        severity = severity ? maxSeverity(severity, pointSeverity) : pointSeverity;
        quiet = 0;
        streak += 1;
        if (state === 'firing') return { state, transition: 'none', severity };
        state = streak >= forPoints ? 'firing' : 'pending';
        return { state, transition: state === 'firing' ? 'fired' : 'none', severity };
      }
      streak = 0;
      if (state === 'firing' && quiet < keepFiringFor) {
        quiet += 1;
        return { state, transition: 'none', severity };
      }
      const wasFiring = state === 'firing';
      const lastSeverity = severity;
      state = 'inactive';
      severity = null;
      quiet = 0;
      return { state, transition: wasFiring ? 'resolved' : 'none', severity: wasFiring ? lastSeverity : null };
    },
  };
}
