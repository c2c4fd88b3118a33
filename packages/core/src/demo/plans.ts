import type { BillingInterval, DemoPlan, PlanKey } from './types';

interface PlanTemplate {
  key: PlanKey;
  name: string;
  tier: number;
  monthlyPrice: number;
}

const planTemplates: readonly PlanTemplate[] = [
  { key: 'starter', name: 'Starter', tier: 1, monthlyPrice: 4_900 },
  { key: 'growth', name: 'Growth', tier: 2, monthlyPrice: 14_900 },
  { key: 'scale', name: 'Scale', tier: 3, monthlyPrice: 49_900 },
];

/** Annual billing saves 15%; prices stay multiples of 12 so annual MRR is a whole number of cents. */
const annualDiscount = 0.15;

export const planKeys: readonly PlanKey[] = planTemplates.map((plan) => plan.key);

export function createPlans(workspaceId: string): DemoPlan[] {
  return planTemplates.map((plan) => ({
    id: `${workspaceId}_plan_${plan.key}`,
    workspaceId,
    key: plan.key,
    name: plan.name,
    tier: plan.tier,
    monthlyPrice: plan.monthlyPrice,
    annualPrice: 12 * Math.round(plan.monthlyPrice * (1 - annualDiscount)),
  }));
}

function findPlanTemplate(key: PlanKey): PlanTemplate {
  const plan = planTemplates.find((candidate) => candidate.key === key);
  if (!plan) throw new RangeError(`Unknown plan ${key}`);
  return plan;
}

/**
 * Amount in cents per billing interval after a percentage discount. Annual
 * amounts are rounded per month first, so `amount / 12` is exact.
 */
export function priceFor(key: PlanKey, interval: BillingInterval, discountPercent: number): number {
  const monthly = findPlanTemplate(key).monthlyPrice;
  const factor = 1 - discountPercent / 100;
  if (interval === 'month') return Math.round(monthly * factor);
  return 12 * Math.round(monthly * (1 - annualDiscount) * factor);
}

/**
 * Normalised monthly recurring revenue of one subscription amount: monthly
 * amounts count in full, annual ones as amount / 12 (rounded to the cent).
 */
export function monthlyRecurringRevenue(amount: number, interval: BillingInterval): number {
  return interval === 'year' ? Math.round(amount / 12) : amount;
}

export function planTier(key: PlanKey): number {
  return findPlanTemplate(key).tier;
}

/** The plan one tier up or down, or undefined at either end. */
export function neighbourPlan(key: PlanKey, direction: 1 | -1): PlanKey | undefined {
  const tier = planTier(key) + direction;
  return planTemplates.find((plan) => plan.tier === tier)?.key;
}
