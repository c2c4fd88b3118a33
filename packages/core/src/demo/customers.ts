import { addDays, dayMs, demoStart, minuteMs } from './calendar';
import type { CustomerChoice } from './lifecycle';
import type { Random } from './random';
import type { BillingInterval, DemoCustomer, PlanKey } from './types';

/** Paying customers from before the demo year, so MRR does not start at zero. */
const legacyCustomerCount = 400;
/** Share of a day's product sign-ups that start a trial of a paid plan. */
const trialsPerSignup = 0.09;

type Segment = 'smb' | 'mid_market' | 'enterprise';

const segmentWeights: readonly (readonly [Segment, number])[] = [
  ['smb', 60],
  ['mid_market', 32],
  ['enterprise', 8],
];
const planWeights: Record<Segment, readonly (readonly [PlanKey, number])[]> = {
  smb: [
    ['starter', 70],
    ['growth', 27],
    ['scale', 3],
  ],
  mid_market: [
    ['starter', 25],
    ['growth', 60],
    ['scale', 15],
  ],
  enterprise: [
    ['growth', 40],
    ['scale', 60],
  ],
};
const trialConversion: Record<Segment, number> = { smb: 0.45, mid_market: 0.55, enterprise: 0.6 };
const countries: readonly (readonly [string, number])[] = [
  ['US', 40],
  ['GB', 12],
  ['DE', 10],
  ['FR', 7],
  ['CA', 7],
  ['IN', 6],
  ['NL', 5],
  ['AU', 5],
  ['SE', 4],
  ['ES', 4],
];
const namePrefixes = [
  'Blue',
  'Bright',
  'North',
  'Silver',
  'Cedar',
  'Harbor',
  'Summit',
  'Quartz',
  'Maple',
  'Orbit',
  'Pioneer',
  'Lumen',
  'Atlas',
  'Copper',
  'Falcon',
  'Granite',
  'Juniper',
  'Meridian',
  'Nimbus',
  'Redwood',
  'Sparrow',
  'Tidal',
  'Vertex',
  'Willow',
];
const nameStems = [
  'field',
  'stone',
  'wave',
  'bridge',
  'path',
  'peak',
  'leaf',
  'line',
  'point',
  'works',
  'forge',
  'gate',
  'light',
  'port',
];
const nameSuffixes = [
  'Labs',
  'Analytics',
  'Systems',
  'Health',
  'Logistics',
  'Retail',
  'Software',
  'Media',
  'Finance',
  'Studio',
];

export interface PlannedCustomer {
  customer: DemoCustomer;
  choice: CustomerChoice;
}

/**
 * Every customer of the demo: legacy payers from the 18 months before the
 * year, then trial starts that follow the daily product sign-ups. Sorted by
 * creation time, with ids numbered in that order.
 */
export function planCustomers(
  workspaceId: string,
  anchor: Date,
  signups: readonly number[],
  random: Random,
): PlannedCustomer[] {
  const start = demoStart(anchor);
  const drafts: { createdAt: Date; legacy: boolean }[] = [];
  for (let index = 0; index < legacyCustomerCount; index += 1) {
    drafts.push({ createdAt: new Date(start.getTime() - random.uniform(20, 540) * dayMs), legacy: true });
  }
  signups.forEach((count, day) => {
    const trials = random.poisson(count * trialsPerSignup);
    for (let trial = 0; trial < trials; trial += 1) {
      // Business hours, 08:00-20:00 UTC, whole minutes.
      const minuteOfDay = random.integer(8 * 60, 20 * 60 - 1);
      drafts.push({
        createdAt: new Date(addDays(start, day).getTime() + minuteOfDay * minuteMs),
        legacy: false,
      });
    }
  });
  drafts.sort((left, right) => left.createdAt.getTime() - right.createdAt.getTime());
  const usedNames = new Set<string>();
  return drafts.map((draft, index) => planCustomer(workspaceId, index + 1, draft, usedNames, random));
}

function planCustomer(
  workspaceId: string,
  number: number,
  draft: { createdAt: Date; legacy: boolean },
  usedNames: Set<string>,
  random: Random,
): PlannedCustomer {
  const segment = random.pickWeighted(segmentWeights);
  const name = inventCompanyName(usedNames, random);
  const domain = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const paddedNumber = String(number).padStart(4, '0');
  const interval: BillingInterval = random.chance(segment === 'smb' ? 0.15 : 0.35) ? 'year' : 'month';
  return {
    customer: {
      id: `${workspaceId}_cus_${paddedNumber}`,
      workspaceId,
      externalId: `cus_demo_${paddedNumber}`,
      name,
      email: `billing@${domain}.example.com`,
      country: random.pickWeighted(countries),
      segment,
      createdAt: draft.createdAt,
    },
    choice: {
      planKey: random.pickWeighted(planWeights[segment]),
      interval,
      discountPercent: random.chance(0.15) ? random.pick([10, 20]) : 0,
      converts: draft.legacy || random.chance(trialConversion[segment]),
    },
  };
}

function inventCompanyName(usedNames: Set<string>, random: Random): string {
  for (let attempt = 0; ; attempt += 1) {
    const stem = random.pick(nameStems);
    const base = `${random.pick(namePrefixes)}${stem} ${random.pick(nameSuffixes)}`;
    const name = attempt < 20 ? base : `${base} ${attempt}`;
    if (!usedNames.has(name)) {
      usedNames.add(name);
      return name;
    }
  }
}
