import type { TurnBudgets } from './ports';

export const defaultTurnBudgets: TurnBudgets = { maxSteps: 8, maxTokens: 40_000, maxDurationMs: 120_000 };

export type BudgetCode = 'BUDGET_STEPS' | 'BUDGET_TOKENS' | 'BUDGET_TIME';

/** Thrown inside a turn when a limit is crossed; the orchestrator turns it into an error event. */
export class BudgetExceededError extends Error {
  readonly code: BudgetCode;
  constructor(code: BudgetCode, message: string) {
    super(message);
    this.name = 'BudgetExceededError';
    this.code = code;
  }
}

/** Counts steps and tokens of one turn against its budgets. */
export function createTurnMeter(budgets: TurnBudgets, startedAt: number, now: () => number) {
  const usage = { steps: 0, tokens: 0 };
  return {
    usage,
    countStep() {
      usage.steps += 1;
      if (usage.steps > budgets.maxSteps) {
        throw new BudgetExceededError('BUDGET_STEPS', `The turn stopped: it needed more than ${budgets.maxSteps} steps (the step budget).`);
      }
    },
    countTokens(tokens: number) {
      usage.tokens += tokens;
      if (usage.tokens > budgets.maxTokens) {
        throw new BudgetExceededError('BUDGET_TOKENS', `The turn stopped: it used ${usage.tokens} tokens, over the budget of ${budgets.maxTokens}.`);
      }
    },
    checkTime() {
      if (now() - startedAt > budgets.maxDurationMs) {
        throw new BudgetExceededError('BUDGET_TIME', `The turn stopped: it ran longer than ${budgets.maxDurationMs} ms (the time budget).`);
      }
    },
    elapsedMs: () => now() - startedAt,
  };
}

export type TurnMeter = ReturnType<typeof createTurnMeter>;
