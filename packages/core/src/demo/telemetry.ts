import { demoDays, demoStart, minuteMs } from './calendar';
import { isInside, type TimeWindow } from './incidents';
import type { Random } from './random';

export const telemetryStepMinutes = 5;
const pointsPerDay = (24 * 60) / telemetryStepMinutes;
/** Requests per 5 minutes at the weekday peak at the start of the year. */
const peakRequests = 2600;
const requestGrowthOverYear = 0.5;
const errorRate = 0.0035;
const latencyRegressionFactorP95 = 2.3;
const latencyRegressionFactorP50 = 1.1;
/** Relative traffic by UTC weekday, Sunday first. */
const weekdayLoad = [0.4, 1.0, 1.02, 1.02, 1.0, 0.9, 0.44];

export interface TelemetrySeries {
  requests: number[];
  errors: number[];
  latencyP95: number[];
  latencyP50: number[];
}

/** Share of peak traffic by hour of day: busiest at 15:00 UTC when Europe and the Americas overlap. */
function dailyLoad(hourOfDay: number): number {
  const wave = (1 + Math.cos((2 * Math.PI * (hourOfDay - 15)) / 24)) / 2;
  return 0.22 + 0.78 * wave ** 1.6;
}

function roundTo(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

/** API traffic, errors and latency every 5 minutes over the demo year. */
export function generateTelemetry(
  anchor: Date,
  latencyRegression: TimeWindow,
  random: Random,
): TelemetrySeries {
  const start = demoStart(anchor).getTime();
  const total = demoDays * pointsPerDay;
  const series: TelemetrySeries = { requests: [], errors: [], latencyP95: [], latencyP50: [] };
  for (let index = 0; index < total; index += 1) {
    const time = start + index * telemetryStepMinutes * minuteMs;
    const date = new Date(time);
    const hourOfDay = date.getUTCHours() + date.getUTCMinutes() / 60;
    const load = dailyLoad(hourOfDay) * (weekdayLoad[date.getUTCDay()] ?? 1);
    const growth = 1 + (requestGrowthOverYear * index) / total;
    const requests = Math.max(0, Math.round(peakRequests * growth * load * (1 + random.normal(0, 0.03))));
    const expectedErrors = requests * errorRate;
    const regression = isInside(latencyRegression, time);
    series.requests.push(requests);
    series.errors.push(
      Math.max(0, Math.round(random.normal(expectedErrors, 1.3 * Math.sqrt(expectedErrors)))),
    );
    series.latencyP95.push(
      roundTo(
        (170 + 55 * load) * (1 + random.normal(0, 0.045)) * (regression ? latencyRegressionFactorP95 : 1),
        1,
      ),
    );
    series.latencyP50.push(
      roundTo(
        (36 + 10 * load) * (1 + random.normal(0, 0.035)) * (regression ? latencyRegressionFactorP50 : 1),
        1,
      ),
    );
  }
  return series;
}
