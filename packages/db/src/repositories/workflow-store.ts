import { AppError } from '@opspilot/core/errors';
import type {
  ApprovalRecord, PolicyRecord, RunRecord, RunTransaction, WorkflowDefinition, WorkflowRecord, WorkflowStore,
} from '@opspilot/core/workflows';
import type { Database } from '../client';
import { Prisma } from '../generated/prisma/client';
import type { SqlSession } from '../sql-session';
import {
  approvalColumns, buildSet, eventColumns, insertEvent, mapApproval, mapEvent, mapRun, mapStep, runColumns, stepColumns, toTimestamp,
} from './workflow-store-sql';

function mapPolicy(row: { id: string; workspaceId: string; name: string; match: unknown; workflowId: string; mode: 'suggest' | 'auto'; minConfidence: number; maxRunsPerWindow: number; windowMinutes: number; enabled: boolean }): PolicyRecord {
  return { ...row, match: (row.match ?? {}) };
}

const workflowSelect = {
  id: true, workspaceId: true, key: true, name: true, description: true, currentVersion: true, enabled: true, reversible: true, createdAt: true, updatedAt: true,
} as const;

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';
}

async function lockRun(session: SqlSession, runId: string): Promise<RunRecord> {
  const [row] = await session.query<Record<string, unknown>>(`SELECT ${runColumns} FROM "WorkflowRun" WHERE "id" = $1 FOR UPDATE`, [runId]);
  if (!row) throw new AppError('NOT_FOUND', `Run ${runId} not found`);
  return mapRun(row);
}

/** The RunTransaction handed to core: SQL on the locked run, with `run` and `steps` kept in step with every write. */
async function openRunTransaction(session: SqlSession, runId: string): Promise<RunTransaction> {
  const run = await lockRun(session, runId);
  const steps = (await session.query<Record<string, unknown>>(`SELECT ${stepColumns} FROM "WorkflowStep" WHERE "runId" = $1 ORDER BY "createdAt", "id"`, [runId])).map(mapStep);
  return {
    run,
    steps,
    async updateRun(patch) {
      const { clause, params } = buildSet(patch, 2);
      if (clause) await session.execute(`UPDATE "WorkflowRun" SET ${clause} WHERE "id" = $1`, [runId, ...params]);
      Object.assign(run, patch);
    },
    async updateStep(stepId, patch) {
      const { clause, params } = buildSet({ ...patch, updatedAt: new Date() }, 2);
      await session.execute(`UPDATE "WorkflowStep" SET ${clause} WHERE "id" = $1`, [stepId, ...params]);
      const step = steps.find((candidate) => candidate.id === stepId);
      if (step) Object.assign(step, patch);
    },
    async appendEvent(event) {
      const record = await insertEvent(session, { ...event, runId, workspaceId: run.workspaceId });
      run.lastSeq = record.seq;
      return record;
    },
    async insertApproval(approval) {
      await session.execute(
        `INSERT INTO "Approval" ("id", "workspaceId", "runId", "stepId", "title", "summary", "payload", "status", "version", "requestedBy", "expiresAt", "createdAt", "updatedAt")
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, 'pending', 0, $8, $9, $10, $10)`,
        [approval.id, approval.workspaceId, approval.runId, approval.stepId, approval.title, approval.summary, JSON.stringify(approval.payload),
          approval.requestedBy, toTimestamp(approval.expiresAt), toTimestamp(approval.createdAt)],
      );
      return { ...approval, status: 'pending', version: 0, decidedById: null, decidedAt: null, decisionNote: null };
    },
  };
}

async function insertRunRows(session: SqlSession, input: Parameters<WorkflowStore['insertRun']>[0]) {
  const { run } = input;
  const inserted = await session.query<{ id: string }>(
    `INSERT INTO "WorkflowRun" ("id", "workspaceId", "workflowId", "workflowVersion", "status", "trigger", "input", "idempotencyKey", "createdById", "createdAt")
     VALUES ($1, $2, $3, $4, 'pending', $5::jsonb, $6::jsonb, $7, $8, $9)
     ON CONFLICT ("workspaceId", "idempotencyKey") DO NOTHING RETURNING "id"`,
    [run.id, run.workspaceId, run.workflowId, run.workflowVersion, JSON.stringify(run.trigger), JSON.stringify(run.input), run.idempotencyKey, run.createdById, toTimestamp(run.createdAt)],
  );
  if (inserted.length === 0) {
    const [existing] = await session.query<Record<string, unknown>>(`SELECT ${runColumns} FROM "WorkflowRun" WHERE "workspaceId" = $1 AND "idempotencyKey" = $2`, [run.workspaceId, run.idempotencyKey]);
    if (!existing) throw new AppError('CONFLICT', `Run with idempotency key ${run.idempotencyKey ?? ''} is being created`);
    return { run: mapRun(existing), created: false, event: null };
  }
  const columns = ['id', 'runId', 'workspaceId', 'nodeId', 'status', 'availableAt', 'idempotencyKey'] as const;
  await session.execute(
    `INSERT INTO "WorkflowStep" ("id", "runId", "workspaceId", "nodeId", "status", "availableAt", "idempotencyKey", "createdAt", "updatedAt")
     SELECT s."id", s."runId", s."workspaceId", s."nodeId", s."status"::"StepStatus", s."availableAt"::timestamp, s."idempotencyKey", $8::timestamp, $8::timestamp
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) AS s(${columns.map((column) => `"${column}"`).join(', ')})`,
    [...columns.map((column) => input.steps.map((step) => (column === 'availableAt' ? toTimestamp(step.availableAt) : step[column]))), toTimestamp(run.createdAt)],
  );
  const event = await insertEvent(session, { ...input.event, runId: run.id, workspaceId: run.workspaceId });
  return { run: { ...run, status: 'pending' as const, output: null, error: null, lastSeq: event.seq, cancelRequestedAt: null, startedAt: null, finishedAt: null }, created: true, event };
}

/** The PGlite/PostgreSQL implementation of core's WorkflowStore. */
export function createWorkflowStore(db: Database): WorkflowStore {
  const { prisma } = db;
  return {
    async createWorkflow(input) {
      try {
        return await prisma.workflow.create({
          data: {
            id: input.id, workspaceId: input.workspaceId, key: input.key, name: input.name, description: input.description, reversible: input.reversible,
            currentVersion: 1, createdAt: input.now,
            versions: { create: { id: input.versionId, version: 1, definition: input.definition as Prisma.InputJsonValue, createdById: input.createdById, createdAt: input.now } },
          },
          select: workflowSelect,
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('CONFLICT', `A workflow with key "${input.key}" already exists in this workspace`);
        throw error;
      }
    },
    async updateWorkflow(input) {
      await db.transaction(async (session) => {
        const rows = await session.query<{ currentVersion: number }>(
          `UPDATE "Workflow" SET "currentVersion" = "currentVersion" + $3, "updatedAt" = $4,
             "name" = COALESCE($5, "name"), "description" = COALESCE($6, "description"), "reversible" = COALESCE($7, "reversible"), "enabled" = COALESCE($8, "enabled")
           WHERE "id" = $1 AND "workspaceId" = $2 RETURNING "currentVersion"`,
          [input.workflowId, input.workspaceId, input.definition ? 1 : 0, toTimestamp(input.now), input.name ?? null, input.description ?? null, input.reversible ?? null, input.enabled ?? null],
        );
        const row = rows[0];
        if (!row) throw new AppError('NOT_FOUND', `Workflow ${input.workflowId} not found`);
        if (input.definition) {
          await session.execute(
            'INSERT INTO "WorkflowVersion" ("id", "workflowId", "version", "definition", "createdById", "createdAt") VALUES ($1, $2, $3, $4::jsonb, $5, $6)',
            [input.versionId, input.workflowId, row.currentVersion, JSON.stringify(input.definition), input.createdById, toTimestamp(input.now)],
          );
        }
      });
      const workflow = await prisma.workflow.findUnique({ where: { id: input.workflowId }, select: workflowSelect });
      if (!workflow) throw new AppError('NOT_FOUND', `Workflow ${input.workflowId} not found`);
      return workflow;
    },
    findWorkflow: (workspaceId, workflowId): Promise<WorkflowRecord | null> => prisma.workflow.findFirst({ where: { id: workflowId, workspaceId }, select: workflowSelect }),
    listWorkflows: (workspaceId) => prisma.workflow.findMany({ where: { workspaceId }, select: workflowSelect, orderBy: { createdAt: 'asc' } }),
    async findWorkflowVersion(workflowId, version) {
      const row = await prisma.workflowVersion.findUnique({ where: { workflowId_version: { workflowId, version } } });
      return row ? { workflowId, version, definition: row.definition as unknown as WorkflowDefinition, createdById: row.createdById, createdAt: row.createdAt } : null;
    },

    insertRun: (input) => db.transaction((session) => insertRunRows(session, input)),
    async findRun(workspaceId, runId) {
      const rows = await db.query<Record<string, unknown>>(`SELECT ${runColumns} FROM "WorkflowRun" WHERE "id" = $1 AND ($2::text IS NULL OR "workspaceId" = $2)`, [runId, workspaceId]);
      return rows[0] ? mapRun(rows[0]) : null;
    },
    async listRuns(input) {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT ${runColumns} FROM "WorkflowRun" WHERE "workspaceId" = $1 AND ($2::text IS NULL OR "workflowId" = $2)
           AND ($3::text[] IS NULL OR "status"::text = ANY($3::text[])) AND ($4::text IS NULL OR "trigger"->>'mode' = $4)
         ORDER BY "createdAt" DESC, "id" DESC LIMIT $5`,
        [input.workspaceId, input.workflowId ?? null, input.status ?? null, input.mode ?? null, input.limit],
      );
      return rows.map(mapRun);
    },
    async listSteps(runId) {
      return (await db.query<Record<string, unknown>>(`SELECT ${stepColumns} FROM "WorkflowStep" WHERE "runId" = $1 ORDER BY "createdAt", "id"`, [runId])).map(mapStep);
    },
    async listRunEvents(runId, afterSeq) {
      return (await db.query<Record<string, unknown>>(`SELECT ${eventColumns} FROM "RunEvent" WHERE "runId" = $1 AND "seq" > $2 ORDER BY "seq"`, [runId, afterSeq])).map(mapEvent);
    },
    async countPolicyRuns(input) {
      const [row] = await db.query<{ count: number | string }>(
        `SELECT COUNT(*) AS "count" FROM "WorkflowRun" WHERE "trigger"->>'policyId' = $1 AND "trigger"->>'mode' = $2 AND "createdAt" >= $3`,
        [input.policyId, input.mode, toTimestamp(input.since)],
      );
      return Number(row?.count ?? 0);
    },
    withRunLock: (runId, work) => db.transaction(async (session) => work(await openRunTransaction(session, runId))),

    async claimNextStep(input) {
      const now = toTimestamp(input.now);
      const rows = await db.query<Record<string, unknown>>(
        `UPDATE "WorkflowStep" SET "status" = 'running', "attempt" = "attempt" + 1, "leaseOwner" = $1, "leaseExpiresAt" = $2, "startedAt" = $3, "updatedAt" = $3
          WHERE "id" = (SELECT "id" FROM "WorkflowStep"
                         WHERE ("status" = 'ready' AND "availableAt" <= $3) OR ("status" = 'running' AND "leaseExpiresAt" < $3)
                         ORDER BY "availableAt", "id" LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING ${stepColumns}`,
        [input.workerId, toTimestamp(new Date(input.now.getTime() + input.leaseMs)), now],
      );
      return rows[0] ? mapStep(rows[0]) : null;
    },
    async renewLease(input) {
      const count = await db.execute(
        `UPDATE "WorkflowStep" SET "leaseExpiresAt" = $3 WHERE "id" = $1 AND "leaseOwner" = $2 AND "status" = 'running'`,
        [input.stepId, input.workerId, toTimestamp(input.leaseExpiresAt)],
      );
      return count > 0;
    },

    async findApproval(workspaceId, approvalId) {
      const rows = await db.query<Record<string, unknown>>(`SELECT ${approvalColumns} FROM "Approval" WHERE "id" = $1 AND "workspaceId" = $2`, [approvalId, workspaceId]);
      return rows[0] ? mapApproval(rows[0]) : null;
    },
    async listApprovals(input) {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT ${approvalColumns} FROM "Approval" WHERE "workspaceId" = $1 AND ($2::text IS NULL OR "status"::text = $2) AND ($3::text IS NULL OR "runId" = $3) ORDER BY "createdAt" DESC, "id"`,
        [input.workspaceId, input.status ?? null, input.runId ?? null],
      );
      return rows.map(mapApproval);
    },
    async transitionApproval(input): Promise<ApprovalRecord | null> {
      const rows = await db.query<Record<string, unknown>>(
        `UPDATE "Approval" SET "status" = $3::"ApprovalStatus", "version" = "version" + 1, "decidedById" = $4, "decidedAt" = $5, "decisionNote" = $6, "updatedAt" = $5
          WHERE "id" = $1 AND "version" = $2 AND "status" = 'pending' RETURNING ${approvalColumns}`,
        [input.approvalId, input.expectedVersion, input.status, input.decidedById, toTimestamp(input.decidedAt), input.note],
      );
      return rows[0] ? mapApproval(rows[0]) : null;
    },
    async listExpiredApprovals(input) {
      const rows = await db.query<Record<string, unknown>>(
        `SELECT ${approvalColumns} FROM "Approval" WHERE "status" = 'pending' AND "expiresAt" <= $1 ORDER BY "expiresAt" LIMIT $2`,
        [toTimestamp(input.now), input.limit],
      );
      return rows.map(mapApproval);
    },

    async listPolicies(workspaceId) {
      return (await prisma.remediationPolicy.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' } })).map(mapPolicy);
    },
    async createPolicy(policy) {
      const { now, ...fields } = policy;
      try {
        return mapPolicy(await prisma.remediationPolicy.create({ data: { ...fields, match: fields.match, createdAt: now } }));
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('CONFLICT', `A policy named "${policy.name}" already exists in this workspace`);
        throw error;
      }
    },
    async readKillSwitch(workspaceId) {
      return (await prisma.workspace.findUnique({ where: { id: workspaceId }, select: { killSwitch: true } }))?.killSwitch ?? false;
    },
    async writeKillSwitch(workspaceId, enabled) {
      await prisma.workspace.update({ where: { id: workspaceId }, data: { killSwitch: enabled } });
    },

    async replaceSchedules(input) {
      const nodeIds = input.schedules.map((schedule) => schedule.nodeId);
      await prisma.$transaction([
        prisma.workflowSchedule.deleteMany({ where: { workflowId: input.workflowId, nodeId: { notIn: nodeIds } } }),
        ...input.schedules.map((schedule) =>
          prisma.workflowSchedule.upsert({
            where: { workflowId_nodeId: { workflowId: input.workflowId, nodeId: schedule.nodeId } },
            create: { ...schedule, enabled: true },
            update: { cron: schedule.cron, timezone: schedule.timezone, nextRunAt: schedule.nextRunAt, enabled: true },
          }),
        ),
      ]);
    },
    listDueSchedules: (input) => prisma.workflowSchedule.findMany({ where: { enabled: true, nextRunAt: { lte: input.now } }, orderBy: { nextRunAt: 'asc' }, take: input.limit }),
    async advanceSchedule(input) {
      const result = await prisma.workflowSchedule.updateMany({
        where: { id: input.scheduleId, nextRunAt: input.expectedNextRunAt },
        data: { nextRunAt: input.nextRunAt, lastRunAt: input.lastRunAt },
      });
      return result.count > 0;
    },
    async appendAudit(entry) {
      await prisma.auditLog.create({ data: { ...entry, data: entry.data as Prisma.InputJsonValue } });
    },
  };
}
