import type { EventBus } from '@opspilot/core/ports';
import { runTopic, workspaceRunsTopic, type RunEventMessage, type RunEventRecord, type WorkflowEngine } from '@opspilot/core/workflows';

export interface RunEventStreamInput {
  engine: WorkflowEngine;
  eventBus: EventBus;
  workspaceId: string;
  /** One run; without it, every run of the workspace (live, plus the run named by lastEventId). */
  runId?: string | undefined;
  /** `<runId>:<seq>` of the last event the client has. */
  lastEventId?: string | null | undefined;
  signal?: AbortSignal | undefined;
}

const finishedStatuses = new Set(['succeeded', 'failed', 'cancelled']);

/** Parses a `<runId>:<seq>` cursor; anything else means "from the start". */
export function parseRunEventId(id: string | null | undefined): { runId: string; seq: number } | null {
  if (!id) return null;
  const separator = id.lastIndexOf(':');
  const seq = Number(id.slice(separator + 1));
  if (separator <= 0 || !Number.isInteger(seq) || seq < 0) return null;
  return { runId: id.slice(0, separator), seq };
}

/**
 * Run events in per-run `seq` order, each exactly once. Subscribes to the
 * bus first and only then reads the database, so an event committed between
 * the two is not lost; every bus message is treated as "run R has news" and
 * answered by reading R's events after the last seq delivered. The bus may
 * therefore drop, repeat or reorder messages (several web processes) without
 * the client noticing. A single-run stream starts at the run's first event
 * (a canvas opened mid-run still sees run-start) and ends after `run-end`;
 * the workspace stream follows each run from the first event it hears of.
 */
export async function* streamRunEvents(input: RunEventStreamInput): AsyncGenerator<RunEventRecord> {
  const { engine, workspaceId, signal } = input;
  const cursor = parseRunEventId(input.lastEventId);
  const delivered = new Map<string, number>();
  const dirty = new Set<string>();
  if (input.runId) {
    dirty.add(input.runId);
    delivered.set(input.runId, cursor?.runId === input.runId ? cursor.seq : 0);
  } else if (cursor) {
    dirty.add(cursor.runId);
    delivered.set(cursor.runId, cursor.seq);
  }
  let wake: (() => void) | null = null;
  const topic = input.runId ? runTopic(input.runId) : workspaceRunsTopic(workspaceId);
  const unsubscribe = await input.eventBus.subscribe(topic, (payload) => {
    const message = payload as Partial<RunEventMessage> | null;
    const runId = message?.runId;
    if (typeof runId !== 'string' || (input.runId && runId !== input.runId)) return;
    // A run first heard of live is followed from this event on: a workspace stream is live, not a replay of history.
    if (!delivered.has(runId)) delivered.set(runId, typeof message?.seq === 'number' ? Math.max(0, message.seq - 1) : 0);
    dirty.add(runId);
    wake?.();
  });
  try {
    // A client resuming after a finished run's last event gets an ended stream, not one that waits forever.
    if (input.runId) {
      const { run } = await engine.getRun(workspaceId, input.runId);
      if (finishedStatuses.has(run.status) && (delivered.get(input.runId) ?? 0) >= run.lastSeq) return;
    }
    while (!signal?.aborted) {
      for (const runId of [...dirty]) {
        dirty.delete(runId);
        for (const event of await engine.listRunEvents(workspaceId, runId, delivered.get(runId) ?? 0)) {
          if (event.seq <= (delivered.get(runId) ?? 0)) continue;
          delivered.set(runId, event.seq);
          yield event;
          if (input.runId && event.type === 'run-end') return;
        }
      }
      if (dirty.size === 0) {
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal?.addEventListener('abort', () => resolve(), { once: true });
        });
        wake = null;
      }
    }
  } finally {
    await unsubscribe();
  }
}
