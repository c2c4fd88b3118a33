import type { ChatEventBody } from './events';

type TextDelta = Extract<ChatEventBody, { type: 'text-delta' }>;

/** How a turn joins a model's small text deltas into fewer stored events. */
export interface DeltaCoalescing {
  /**
   * After a text delta is written, later deltas wait up to this long (ms) and
   * are written together. 0 writes every delta as it comes (no coalescing).
   */
  windowMs: number;
  /** Waiting text this long (characters) is written at once, window or not. */
  maxChars: number;
}

/** One write per 50 ms of streaming at most, and no event much over 512 characters of joined deltas. */
export const defaultDeltaCoalescing: DeltaCoalescing = { windowMs: 50, maxChars: 512 };

export interface DeltaCoalescer {
  /**
   * Emits one event of the turn. A text delta is written at once when no
   * delta was written in the last window; otherwise it joins the waiting
   * text of its agent. Any other event (or a delta of another agent) writes
   * the waiting text first, so the stored order is the order of `push` calls.
   * Resolves when every write queued so far is stored; rejects with the first
   * write's failure.
   */
  push(body: ChatEventBody): Promise<void>;
  /** Writes the waiting text, if any, and waits for every queued write. */
  flush(): Promise<void>;
  /** Cancels the window's timer; call after `flush` when the turn ends. */
  close(): void;
}

/**
 * Coalesces consecutive text deltas of one agent (see `DeltaCoalescing`).
 * Writes run one after another through `write`, in push order, whether a
 * push, the window's timer or a flush started them.
 */
export function createDeltaCoalescer(
  write: (body: ChatEventBody) => Promise<void>,
  options: DeltaCoalescing = defaultDeltaCoalescing,
  now: () => number = () => performance.now(),
): DeltaCoalescer {
  let queue: Promise<void> = Promise.resolve();
  let waiting: TextDelta | null = null;
  let lastDeltaWrittenAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const enqueue = (body: ChatEventBody): Promise<void> => {
    if (body.type === 'text-delta') lastDeltaWrittenAt = now();
    queue = queue.then(() => write(body));
    return queue;
  };
  const cancelTimer = () => {
    if (timer) clearTimeout(timer);
    timer = null;
  };
  const enqueueWaiting = (): Promise<void> => {
    cancelTimer();
    if (!waiting) return queue;
    const body = waiting;
    waiting = null;
    return enqueue(body);
  };
  const scheduleFlush = () => {
    if (timer) return;
    const delay = Math.max(0, lastDeltaWrittenAt + options.windowMs - now());
    timer = setTimeout(() => {
      timer = null;
      // A failed write surfaces to the turn through the next push or flush, which await the same queue.
      enqueueWaiting().catch(() => undefined);
    }, delay);
  };

  const pushDelta = (delta: TextDelta): Promise<void> => {
    if (waiting && waiting.agent !== delta.agent) void enqueueWaiting().catch(() => undefined);
    if (!waiting && now() - lastDeltaWrittenAt >= options.windowMs) return enqueue(delta);
    waiting = waiting ? { ...waiting, text: waiting.text + delta.text } : { ...delta };
    if (waiting.text.length >= options.maxChars) return enqueueWaiting();
    scheduleFlush();
    return queue;
  };

  return {
    push(body) {
      if (body.type === 'text-delta' && options.windowMs > 0) return pushDelta(body);
      void enqueueWaiting().catch(() => undefined);
      return enqueue(body);
    },
    flush: enqueueWaiting,
    close: cancelTimer,
  };
}
