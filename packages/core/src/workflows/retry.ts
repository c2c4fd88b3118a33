import { RetryPolicy, type WorkflowNode } from './definition';

/** Actions retry by default; every other node kind is deterministic and runs once. */
export function resolveRetryPolicy(node: WorkflowNode): RetryPolicy {
  if (node.kind === 'action') return node.retry ?? RetryPolicy.parse({});
  return RetryPolicy.parse({ maxAttempts: 1 });
}

/**
 * Delay before attempt `attempt + 1`: exponential in the attempts made so
 * far, capped, then spread by +/- jitter using `random` (0..1) so that many
 * failing steps do not retry in lockstep.
 */
export function computeBackoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const exponential = policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1);
  const capped = Math.min(policy.maxDelayMs, exponential);
  const spread = capped * policy.jitter * (2 * random() - 1);
  return Math.max(0, Math.round(capped + spread));
}
