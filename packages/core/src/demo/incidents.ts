import { z } from 'zod';
import groundTruthData from './ground-truth.json';
import { addMinutes, normaliseAnchor } from './calendar';

/** What kind of trouble was planted. */
export const DemoIncidentKind = z.enum([
  'payment_failure_spike',
  'latency_regression',
  'churn_jump',
  'signup_drop',
]);
export type DemoIncidentKind = z.infer<typeof DemoIncidentKind>;

/** One planted incident as committed in ground-truth.json, relative to the anchor. */
export const DemoIncident = z.object({
  id: z.string().min(1),
  kind: DemoIncidentKind,
  metric: z.string().min(1),
  segment: z.string().min(1).optional(),
  /** Minutes from the anchor (UTC midnight); negative is the past. Start inclusive. */
  startOffsetMinutes: z.number().int().negative(),
  /** End exclusive. */
  endOffsetMinutes: z.number().int().negative(),
  description: z.string().min(1),
});
export type DemoIncident = z.infer<typeof DemoIncident>;

/** The planted incidents, validated once at import. */
export const demoIncidents: readonly DemoIncident[] = z.array(DemoIncident).parse(groundTruthData);

/** A planted incident placed on the calendar. `segment` is "" for the total, as in MetricPoint. */
export interface GroundTruthWindow {
  id: string;
  kind: DemoIncidentKind;
  metric: string;
  segment: string;
  start: Date;
  end: Date;
  description: string;
}

/**
 * Absolute windows of the planted incidents for data generated with `anchor`
 * (normalised to UTC midnight the same way the generator does), so detection
 * tests can score what they find against the truth.
 */
export function groundTruthFor(anchor: Date): GroundTruthWindow[] {
  const midnight = normaliseAnchor(anchor);
  return demoIncidents.map((incident) => ({
    id: incident.id,
    kind: incident.kind,
    metric: incident.metric,
    segment: incident.segment ?? '',
    start: addMinutes(midnight, incident.startOffsetMinutes),
    end: addMinutes(midnight, incident.endOffsetMinutes),
    description: incident.description,
  }));
}

/** A window the generators test timestamps against. */
export interface TimeWindow {
  start: number;
  end: number;
}

/** The window of the one incident of `kind`, in epoch milliseconds. */
export function incidentWindow(anchor: Date, kind: DemoIncidentKind): TimeWindow {
  const window = groundTruthFor(anchor).find((incident) => incident.kind === kind);
  if (!window) throw new RangeError(`ground-truth.json has no incident of kind ${kind}`);
  return { start: window.start.getTime(), end: window.end.getTime() };
}

export function isInside(window: TimeWindow, time: number): boolean {
  return time >= window.start && time < window.end;
}
