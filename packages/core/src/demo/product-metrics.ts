import { addDays, dayMs, demoDays, demoStart, yearProgress } from './calendar';
import { isInside, type TimeWindow } from './incidents';
import type { Random } from './random';
import type { DemoSubscription } from './types';

/** Relative volume by UTC weekday, Sunday first: a B2B product is quiet at weekends. */
const signupWeekdayFactors = [0.45, 1.05, 1.08, 1.05, 1.0, 0.88, 0.5];
const activeUserWeekdayFactors = [0.32, 1.0, 1.03, 1.02, 1.0, 0.9, 0.36];
const signupsAtStart = 38;
const signupGrowthOverYear = 0.55;
const signupShareDuringFormOutage = 0.4;
const activeUsersPerAccount = 7.5;

/** Daily product sign-ups for each day of the demo year. */
export function generateSignups(anchor: Date, signupDrop: TimeWindow, random: Random): number[] {
  const start = demoStart(anchor);
  const values: number[] = [];
  for (let day = 0; day < demoDays; day += 1) {
    const date = addDays(start, day);
    const trend = signupsAtStart * (1 + signupGrowthOverYear * yearProgress(anchor, date));
    const outage = isInside(signupDrop, date.getTime()) ? signupShareDuringFormOutage : 1;
    const mean = trend * (signupWeekdayFactors[date.getUTCDay()] ?? 1) * outage;
    values.push(Math.max(0, Math.round(random.normal(mean, Math.sqrt(mean)))));
  }
  return values;
}

/** Accounts with a live subscription (trialing or paying) at noon of each day. */
export function countActiveAccounts(anchor: Date, subscriptions: readonly DemoSubscription[]): number[] {
  const start = demoStart(anchor).getTime();
  const counts: number[] = [];
  for (let day = 0; day < demoDays; day += 1) {
    const noon = start + day * dayMs + dayMs / 2;
    counts.push(
      subscriptions.filter(
        (subscription) =>
          subscription.startedAt.getTime() <= noon && (subscription.endedAt?.getTime() ?? Infinity) > noon,
      ).length,
    );
  }
  return counts;
}

/** Daily active users: accounts times seats in use, with a strong weekday pattern. */
export function generateActiveUsers(
  anchor: Date,
  activeAccounts: readonly number[],
  random: Random,
): number[] {
  const start = demoStart(anchor);
  return activeAccounts.map((accounts, day) => {
    const weekday = addDays(start, day).getUTCDay();
    const mean = accounts * activeUsersPerAccount * (activeUserWeekdayFactors[weekday] ?? 1);
    return Math.max(0, Math.round(mean * (1 + random.normal(0, 0.025))));
  });
}
