import type { MrrChangeFact, MrrMovements } from './metric-types';
import type { Period } from './time-buckets';

export type MovementKind = 'new' | 'expansion' | 'contraction' | 'churn' | 'reactivation';

export interface ClassifiedMovement {
  kind: MovementKind;
  /** Positive amount in cents moved by this change. */
  amount: number;
}

/**
 * Classifies one ledger row. 0 -> >0 is new, or reactivation if the customer
 * had MRR before; >0 -> 0 is churn; up is expansion; down is contraction.
 * Returns null for rows that do not change MRR (e.g. a plan rename at equal price).
 */
export function classifyMrrChange(change: Pick<MrrChangeFact, 'mrrBefore' | 'mrrAfter'>, hadRevenueBefore: boolean): ClassifiedMovement | null {
  const { mrrBefore: before, mrrAfter: after } = change;
  if (before === after) return null;
  if (before <= 0) return { kind: hadRevenueBefore ? 'reactivation' : 'new', amount: after };
  if (after <= 0) return { kind: 'churn', amount: before };
  return after > before ? { kind: 'expansion', amount: after - before } : { kind: 'contraction', amount: before - after };
}

/** What one period of the ledger says: the MRR bridge plus the customer counts the rates need. */
export interface MrrPeriodSummary {
  movements: MrrMovements;
  payingAtStart: number;
  payingAtEnd: number;
  /** Distinct customers paying at period start whose MRR reached 0 during the period. */
  customersLost: number;
  /** Ledger rows >0 -> 0 in the period (the churned-customers count; a customer churning twice counts twice). */
  churns: number;
}

interface CustomerState {
  mrr: number;
  plan: string;
  hadRevenue: boolean;
}

/** Ledger rows in time order; rows at the same instant keep their input order. */
export function sortLedger(changes: readonly MrrChangeFact[]): MrrChangeFact[] {
  return changes
    .map((change, index) => ({ change, index }))
    .sort((a, b) => a.change.occurredAt.getTime() - b.change.occurredAt.getTime() || a.index - b.index)
    .map((entry) => entry.change);
}

/**
 * Running ledger state with totals kept incrementally (O(1) per row), so a
 * 365-period series over a large ledger costs one pass.
 */
class LedgerState {
  private readonly customers = new Map<string, CustomerState>();
  private mrr = 0;
  private paying = 0;
  /** Per customer: the index of the period whose start MRR is recorded, and that MRR. */
  private readonly periodStart = new Map<string, { period: number; mrr: number }>();
  private period = -1;

  constructor(private readonly segment: string | undefined) {}

  totals(): { mrr: number; paying: number } {
    return { mrr: this.mrr, paying: this.paying };
  }

  startPeriod(index: number): void {
    this.period = index;
  }

  /** MRR (in the segment) the customer had when the current period started. */
  startMrrOf(customerId: string): number {
    const recorded = this.periodStart.get(customerId);
    return recorded && recorded.period === this.period ? recorded.mrr : this.contribution(this.customers.get(customerId));
  }

  private contribution(state: CustomerState | undefined): number {
    if (!state || (this.segment !== undefined && state.plan !== this.segment)) return 0;
    return state.mrr;
  }

  /** Applies a row and returns its movement when it belongs to the segment. */
  apply(change: MrrChangeFact): ClassifiedMovement | null {
    const state = this.customers.get(change.customerId);
    const recorded = this.periodStart.get(change.customerId);
    if (this.period >= 0 && (!recorded || recorded.period !== this.period)) {
      this.periodStart.set(change.customerId, { period: this.period, mrr: this.contribution(state) });
    }
    const movement = classifyMrrChange(change, state?.hadRevenue ?? false);
    const plan = change.planKey ?? state?.plan ?? '';
    const next = { mrr: change.mrrAfter, plan, hadRevenue: (state?.hadRevenue ?? false) || change.mrrAfter > 0 || change.mrrBefore > 0 };
    const before = this.contribution(state);
    const after = this.contribution(next);
    this.mrr += after - before;
    this.paying += (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
    this.customers.set(change.customerId, next);
    if (this.segment !== undefined && plan !== this.segment) return null;
    return movement;
  }
}

function emptyMovements(start: number): MrrMovements {
  return { start, new: 0, expansion: 0, contraction: 0, churn: 0, reactivation: 0, end: start };
}

/**
 * Replays the ledger once and summarises each period (periods must be in order
 * and contiguous). Rows before the first period only build up the state.
 */
export function summariseMrrPeriods(changes: readonly MrrChangeFact[], periods: readonly Period[], segment?: string): MrrPeriodSummary[] {
  const ledger = sortLedger(changes);
  const state = new LedgerState(segment);
  let cursor = 0;
  const advanceTo = (until: Date, onMovement?: (change: MrrChangeFact, movement: ClassifiedMovement) => void): void => {
    while (cursor < ledger.length && ledger[cursor]!.occurredAt.getTime() < until.getTime()) {
      const change = ledger[cursor]!;
      const movement = state.apply(change);
      if (movement && onMovement) onMovement(change, movement);
      cursor += 1;
    }
  };
  return periods.map((period, index) => {
    advanceTo(period.start);
    state.startPeriod(index);
    const startTotals = state.totals();
    const movements = emptyMovements(startTotals.mrr);
    const lost = new Set<string>();
    let churns = 0;
    advanceTo(period.end, (change, movement) => {
      movements[movement.kind] += movement.amount;
      if (movement.kind === 'churn') churns += 1;
      if (movement.kind === 'churn' && state.startMrrOf(change.customerId) > 0) lost.add(change.customerId);
    });
    const endTotals = state.totals();
    movements.end = endTotals.mrr;
    return { movements, payingAtStart: startTotals.paying, payingAtEnd: endTotals.paying, customersLost: lost.size, churns };
  });
}
