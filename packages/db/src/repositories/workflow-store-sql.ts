import type { ApprovalRecord, RunEventRecord, RunRecord, RunTrigger, StepRecord } from '@opspilot/core/workflows';
import type { SqlSession } from '../sql-session';

/**
 * SQL pieces of the workflow store. Columns are Prisma's `timestamp(3)`
 * without time zone holding UTC: times go in as ISO strings (Postgres drops
 * the `Z` for that type) and come out through `AT TIME ZONE 'UTC'` so that
 * both drivers return the right instant whatever the process time zone.
 */
export function toTimestamp(value: Date | null | undefined): string | null {
  return value ? value.toISOString() : null;
}

function utc(column: string): string {
  return `("${column}" AT TIME ZONE 'UTC') AS "${column}"`;
}

export const runColumns = [
  '"id"', '"workspaceId"', '"workflowId"', '"workflowVersion"', '"status"::text AS "status"', '"trigger"', '"input"', '"output"', '"error"',
  '"idempotencyKey"', '"lastSeq"', utc('cancelRequestedAt'), '"createdById"', utc('createdAt'), utc('startedAt'), utc('finishedAt'),
].join(', ');

export const stepColumns = [
  '"id"', '"runId"', '"workspaceId"', '"nodeId"', '"status"::text AS "status"', '"attempt"', '"input"', '"output"', '"error"', utc('availableAt'),
  '"leaseOwner"', utc('leaseExpiresAt'), '"idempotencyKey"', utc('startedAt'), utc('finishedAt'),
].join(', ');

export const approvalColumns = [
  '"id"', '"workspaceId"', '"runId"', '"stepId"', '"title"', '"summary"', '"payload"', '"status"::text AS "status"', '"version"', '"requestedBy"',
  '"decidedById"', utc('decidedAt'), '"decisionNote"', utc('expiresAt'), utc('createdAt'),
].join(', ');

export const eventColumns = ['"id"', '"runId"', '"workspaceId"', '"seq"', '"type"', '"payload"', utc('createdAt')].join(', ');

type Row = Record<string, unknown>;

function toDate(value: unknown): Date | null {
  if (value === null || value === undefined) return null;
  return value instanceof Date ? value : new Date(typeof value === 'string' || typeof value === 'number' ? value : Number.NaN);
}

function requireDate(value: unknown): Date {
  return toDate(value) ?? new Date(0);
}

export function mapRun(row: Row): RunRecord {
  return {
    id: String(row.id), workspaceId: String(row.workspaceId), workflowId: String(row.workflowId), workflowVersion: Number(row.workflowVersion),
    status: row.status as RunRecord['status'], trigger: row.trigger as RunTrigger, input: (row.input ?? {}) as Record<string, unknown>,
    output: row.output ?? null, error: (row.error as string | null) ?? null, idempotencyKey: (row.idempotencyKey as string | null) ?? null,
    lastSeq: Number(row.lastSeq), cancelRequestedAt: toDate(row.cancelRequestedAt), createdById: (row.createdById as string | null) ?? null,
    createdAt: requireDate(row.createdAt), startedAt: toDate(row.startedAt), finishedAt: toDate(row.finishedAt),
  };
}

export function mapStep(row: Row): StepRecord {
  return {
    id: String(row.id), runId: String(row.runId), workspaceId: String(row.workspaceId), nodeId: String(row.nodeId),
    status: row.status as StepRecord['status'], attempt: Number(row.attempt), input: row.input ?? null, output: row.output ?? null,
    error: (row.error as string | null) ?? null, availableAt: requireDate(row.availableAt), leaseOwner: (row.leaseOwner as string | null) ?? null,
    leaseExpiresAt: toDate(row.leaseExpiresAt), idempotencyKey: String(row.idempotencyKey), startedAt: toDate(row.startedAt), finishedAt: toDate(row.finishedAt),
  };
}

export function mapApproval(row: Row): ApprovalRecord {
  return {
    id: String(row.id), workspaceId: String(row.workspaceId), runId: (row.runId as string | null) ?? null, stepId: (row.stepId as string | null) ?? null,
    title: String(row.title), summary: typeof row.summary === 'string' ? row.summary : '', payload: (row.payload ?? {}) as Record<string, unknown>,
    status: row.status as ApprovalRecord['status'], version: Number(row.version), requestedBy: (row.requestedBy as string | null) ?? null,
    decidedById: (row.decidedById as string | null) ?? null, decidedAt: toDate(row.decidedAt), decisionNote: (row.decisionNote as string | null) ?? null,
    expiresAt: requireDate(row.expiresAt), createdAt: requireDate(row.createdAt),
  };
}

export function mapEvent(row: Row): RunEventRecord {
  return {
    id: String(row.id), runId: String(row.runId), workspaceId: String(row.workspaceId), seq: Number(row.seq),
    type: row.type as RunEventRecord['type'], payload: (row.payload ?? {}) as Record<string, unknown>, createdAt: requireDate(row.createdAt),
  };
}

const jsonColumns = new Set(['input', 'output', 'trigger', 'payload']);

/** `SET` clause and parameters for a patch; Dates become timestamps and objects JSON. */
export function buildSet(patch: Record<string, unknown>, firstIndex: number): { clause: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  for (const [column, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    params.push(jsonColumns.has(column) ? JSON.stringify(value ?? null) : value instanceof Date ? toTimestamp(value) : value);
    parts.push(`"${column}" = $${firstIndex + params.length - 1}${jsonColumns.has(column) ? '::jsonb' : ''}`);
  }
  return { clause: parts.join(', '), params };
}

/** Appends an event with the run's next seq; the caller holds the run lock. */
export async function insertEvent(session: SqlSession, input: { runId: string; workspaceId: string; id: string; type: string; payload: Record<string, unknown>; createdAt: Date }): Promise<RunEventRecord> {
  // One statement: bump the run's lastSeq and insert the event with it.
  const [row] = await session.query<{ seq: number }>(
    `WITH next AS (UPDATE "WorkflowRun" SET "lastSeq" = "lastSeq" + 1 WHERE "id" = $2 RETURNING "lastSeq")
     INSERT INTO "RunEvent" ("id", "runId", "workspaceId", "seq", "type", "payload", "createdAt")
     SELECT $1, $2, $3, next."lastSeq", $4, $5::jsonb, $6 FROM next RETURNING "seq"`,
    [input.id, input.runId, input.workspaceId, input.type, JSON.stringify(input.payload), toTimestamp(input.createdAt)],
  );
  if (!row) throw new Error(`Run ${input.runId} not found while appending an event`);
  return { id: input.id, runId: input.runId, workspaceId: input.workspaceId, seq: Number(row.seq), type: input.type as RunEventRecord['type'], payload: input.payload, createdAt: input.createdAt };
}
