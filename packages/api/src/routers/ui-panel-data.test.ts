import type { StoredAnomaly } from '@opspilot/core/signals';
import { describe, expect, it } from 'vitest';
import { placeIncidentMarker, withIncidentBand } from './ui-panel-data';

const dayMs = 86_400_000;
const start = Date.UTC(2026, 8, 1);
const day = (index: number) => new Date(start + index * dayMs).toISOString();

/** Seven-day churn sums as the demo's growth-plan incident draws them: quiet near 2, flagged days 7–15 peaking at 21. */
const values = [1, 2, 2, 2, 3, 2, 6, 8, 8, 12, 15, 15, 21, 17, 15, 14, 11, 8, 7, 2, 5, 5, 5];
const points = values.map((value, index) => ({ ts: day(index), value }));

const churnAnomaly: StoredAnomaly = {
  id: 'a1', metric: 'churned_customers', segment: 'growth', detector: 'test',
  windowStart: new Date(start + 7 * dayMs), windowEnd: new Date(start + 16 * dayMs),
  expected: 2, lower: 0, upper: 6, actual: 21, score: 0.9, direction: 'up', severity: 'warning', incidentId: 'i1', createdAt: new Date(start),
};

describe('incident chart data', () => {
  it("draws the detectors' band on flagged days, and after the incident a band that the spike did not lift or widen", () => {
    const drawn = withIncidentBand(points, [churnAnomaly]);
    for (let index = 7; index < 16; index += 1) expect(drawn[index]).toMatchObject({ expected: 2, lower: 0, upper: 6 });
    // Right after the incident the trailing band still describes the quiet level around 2.
    for (const point of drawn.slice(16)) {
      expect(point.expected).toBeLessThan(4);
      expect(point.upper).toBeLessThan(8);
    }
  });

  it('never draws a band below zero for a series that cannot go below zero', () => {
    // Bursty counts: a robust band around 2 with this spread reaches below zero.
    const bursty = [0, 5, 0, 6, 0, 5, 1, 7, 0, 4, 0, 6, 0, 5, 0, 6].map((value, index) => ({ ts: day(index), value }));
    const drawn = withIncidentBand(bursty, []);
    expect(drawn.some((point) => point.lower !== null)).toBe(true);
    expect(drawn.every((point) => point.lower === null || point.lower >= 0)).toBe(true);
    // A series that does go below zero keeps its band as computed.
    const signed = bursty.map((point) => ({ ...point, value: point.value - 3 }));
    expect(withIncidentBand(signed, []).some((point) => point.lower !== null && point.lower < -3)).toBe(true);
  });

  it("puts the marker on the flagged day whose value the anomaly reports (the peak), not on the window's first day", () => {
    expect(placeIncidentMarker(churnAnomaly, points)).toMatchObject({ at: day(12), value: 21, expected: 2 });
    expect(placeIncidentMarker(churnAnomaly, [])).toMatchObject({ at: day(7), value: 21 });
  });
});
