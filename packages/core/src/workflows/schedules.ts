import { isAppError } from '../errors';
import { computeNextRunAt } from './cron';
import type { WorkflowDefinition } from './definition';
import { now, type EngineContext } from './engine-context';
import type { WorkflowRecord } from './ports';
import { startRun } from './run-lifecycle';

/** Stores one schedule per cron trigger node of the workflow's current definition, next run computed in its time zone. */
export async function syncSchedules(context: EngineContext, workflow: WorkflowRecord, definition: WorkflowDefinition): Promise<void> {
  const at = now(context);
  const schedules = definition.nodes.flatMap((node) =>
    node.kind === 'trigger' && node.trigger.type === 'cron'
      ? [{
          id: context.deps.ids.next('schedule'), workspaceId: workflow.workspaceId, workflowId: workflow.id, nodeId: node.id,
          cron: node.trigger.cron, timezone: node.trigger.timezone, nextRunAt: computeNextRunAt(node.trigger.cron, node.trigger.timezone, at),
        }]
      : [],
  );
  await context.deps.store.replaceSchedules({ workspaceId: workflow.workspaceId, workflowId: workflow.id, schedules });
}

/**
 * Starts every due scheduled run. Exactly once even with several workers
 * ticking together: the run's idempotency key is (schedule, due time), and
 * the schedule advances by compare-and-swap on nextRunAt. The run starts
 * before the schedule advances, so a crash in between repeats the start,
 * which the key absorbs, instead of losing it. Missed fire times are not
 * replayed: the next run is computed from now.
 */
export async function tickSchedules(context: EngineContext, input: { now?: Date; limit?: number } = {}): Promise<string[]> {
  const at = input.now ?? now(context);
  const limit = input.limit ?? 100;
  const due = await context.deps.store.listDueSchedules({ now: at, limit });
  const runIds: string[] = [];
  for (const schedule of due) {
    try {
      const run = await startRun(context, {
        workspaceId: schedule.workspaceId, workflowId: schedule.workflowId, triggerType: 'cron', triggerNodeId: schedule.nodeId,
        scheduleId: schedule.id, idempotencyKey: `schedule:${schedule.id}:${schedule.nextRunAt.toISOString()}`,
        input: { scheduledAt: schedule.nextRunAt.toISOString() },
      });
      runIds.push(run.id);
    } catch (error) {
      if (!isAppError(error)) throw error;
      context.logger.warn('scheduled run not started', { scheduleId: schedule.id, error: error.message });
    }
    await context.deps.store.advanceSchedule({
      scheduleId: schedule.id, expectedNextRunAt: schedule.nextRunAt, lastRunAt: schedule.nextRunAt,
      nextRunAt: computeNextRunAt(schedule.cron, schedule.timezone, at),
    });
  }
  return [...new Set(runIds)];
}
