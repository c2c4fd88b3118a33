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

class LedgerState {
  private readonly customers = new Map<string, CustomerState>();

  constructor(private readonly segment: string | undefined) {}

  totals(): { mrr: number; paying: Set<string> } {
    let mrr = 0;
    const paying = new Set<string>();
    for (const [customerId, state] of this.customers) {
      if (this.segment !== undefined && state.plan !== this.segment) continue;
      mrr += state.mrr;
      if (state.mrr > 0) paying.add(customerId);
    }
    return { mrr, paying };
  }

  /** Applies a row and returns its movement when it belongs to the segment. */
  apply(change: MrrChangeFact): ClassifiedMovement | null {
    const state = this.customers.get(change.customerId) ?? { mrr: 0, plan: '', hadRevenue: false };
    const movement = classifyMrrChange(change, state.hadRevenue);
    const plan = change.planKey ?? state.plan;
    this.customers.set(change.customerId, {
      mrr: change.mrrAfter,
      plan,
      hadRevenue: state.hadRevenue || change.mrrAfter > 0 || change.mrrBefore > 0,
    });
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
  return periods.map((period) => {
    advanceTo(period.start);
    const startTotals = state.totals();
    const movements = emptyMovements(startTotals.mrr);
    const lost = new Set<string>();
    advanceTo(period.end, (change, movement) => {
      movements[movement.kind] += movement.amount;
      if (movement.kind === 'churn' && startTotals.paying.has(change.customerId)) lost.add(change.customerId);
    });
    const endTotals = state.totals();
    movements.end = endTotals.mrr;
    return { movements, payingAtStart: startTotals.paying.size, payingAtEnd: endTotals.paying.size, customersLost: lost.size };
  });
}
