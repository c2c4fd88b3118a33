import { AppError } from '../errors';
import type { Clock, Logger } from '../ports';
import type { IdempotencyKeyRef, ToolCallAuditPort } from './ports';

/** What a call that held the key did: its value, and what to store for repeats (null: nothing, the key is freed). */
export interface HeldCallOutcome<T> {
  value: T;
  stored: unknown;
}

export interface RunOnceOptions<T> {
  audit: ToolCallAuditPort;
  clock: Clock;
  logger: Logger;
  ref: IdempotencyKeyRef;
  argsHash: string;
  /** How long the reservation holds: the call's timeout plus a margin, so only a dead or hung holder loses it. */
  leaseMs: number;
  /** How long a second caller waits for the holder's result before it is told the key is in progress. */
  waitMs: number;
  signal?: AbortSignal;
  act: () => Promise<HeldCallOutcome<T>>;
}

export type RunOnceResult<T> = { acted: true; value: T } | { acted: false; stored: unknown };

const firstPollMs = 20;
const maxPollMs = 250;

/**
 * Runs a keyed write at most once across every process sharing the database:
 * the key is reserved (a unique row) before the vendor is called, the result
 * is stored after; a concurrent caller waits for that result instead of
 * acting. A failed call frees the key, so a retry may act again.
 */
export async function runOnceAcrossProcesses<T>(options: RunOnceOptions<T>): Promise<RunOnceResult<T>> {
  const { audit, ref } = options;
  const startedAtMs = performance.now();
  let pollMs = firstPollMs;
  for (;;) {
    const now = options.clock.now();
    const reservation = await audit.reserveIdempotencyKey({ ...ref, argsHash: options.argsHash, now, leaseUntil: new Date(now.getTime() + options.leaseMs) });
    switch (reservation.state) {
      case 'reserved':
        return { acted: true, value: await actHoldingKey(options) };
      case 'done':
        assertSameArguments(ref, reservation.argsHash, options.argsHash);
        return { acted: false, stored: reservation.result };
      case 'pending':
        assertSameArguments(ref, reservation.argsHash, options.argsHash);
        if (performance.now() - startedAtMs >= options.waitMs) {
          // retryAfterSeconds marks this conflict as temporary: the holder finishes or its lease ends by then.
          const retryAfterSeconds = Math.max(1, Math.ceil((reservation.leaseUntil.getTime() - options.clock.now().getTime()) / 1000));
          throw new AppError('CONFLICT', `Idempotency key ${ref.key} of ${ref.tool} is in progress in another call; retry later`, { retryAfterSeconds });
        }
        await pause(pollMs, options.signal);
        pollMs = Math.min(maxPollMs, Math.round(pollMs * 1.5));
        break;
      default: {
        const unexpected: never = reservation;
        throw new AppError('INTERNAL', `Unknown idempotency reservation ${JSON.stringify(unexpected)}`);
      }
    }
  }
}

async function actHoldingKey<T>(options: RunOnceOptions<T>): Promise<T> {
  const { audit, ref } = options;
  let outcome: HeldCallOutcome<T>;
  try {
    outcome = await options.act();
  } catch (error) {
    await audit.releaseIdempotencyKey(ref).catch((releaseError: unknown) => logKeyFailure(options, 'release', releaseError));
    throw error;
  }
  try {
    if (outcome.stored === null) await audit.releaseIdempotencyKey(ref);
    else if (!(await audit.completeIdempotencyKey({ ...ref, result: outcome.stored }))) {
      // Our lease ran out mid-call and another call took the key over: it may act a second time. Rare; say so loudly.
      options.logger.warn('idempotency key was taken over while its call was still running', { tool: ref.tool, callId: ref.callId });
    }
  } catch (error) {
    // The vendor already acted; the pending row expires with its lease. Report the call's own result.
    logKeyFailure(options, 'complete', error);
  }
  return outcome.value;
}

function logKeyFailure(options: RunOnceOptions<unknown>, step: string, error: unknown): void {
  options.logger.error(`idempotency key ${step} failed`, {
    tool: options.ref.tool,
    callId: options.ref.callId,
    error: error instanceof Error ? error.message : String(error),
  });
}

function assertSameArguments(ref: IdempotencyKeyRef, storedHash: string, argsHash: string): void {
  if (storedHash !== argsHash) {
    throw new AppError('CONFLICT', `Idempotency key ${ref.key} was already used for ${ref.tool} with different arguments`);
  }
}

function pause(milliseconds: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AppError('TIMEOUT', 'The call was cancelled by the caller while waiting for another call with its idempotency key'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, milliseconds);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AppError('TIMEOUT', 'The call was cancelled by the caller while waiting for another call with its idempotency key'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
