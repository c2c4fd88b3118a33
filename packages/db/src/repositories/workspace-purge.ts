import type { Database } from '../client';
import type { Prisma } from '../generated/prisma/client';
import type { SqlSession } from '../sql-session';

/**
 * One DELETE of the purge. Most tables are scoped by their own "workspaceId";
 * the two child tables without one (workflow versions, OAuth tokens) are
 * reached through their parent.
 */
interface PurgeStep {
  table: Prisma.ModelName;
  where: string;
}

const byWorkspace = '"workspaceId" = $1';

/**
 * Every workspace-scoped table, children before parents, so each count is the
 * rows that table lost (not hidden inside a cascade). Raw SQL `DELETE ...
 * WHERE "workspaceId" = $1` per table: one statement each uses the table's
 * workspace index and stays well under a second for the demo's 421k metric points.
 */
const purgeSteps = [
  { table: 'Message', where: byWorkspace },
  { table: 'ChatEvent', where: byWorkspace },
  { table: 'ChatSession', where: byWorkspace },
  { table: 'Agent', where: byWorkspace },
  { table: 'Approval', where: byWorkspace },
  { table: 'RunEvent', where: byWorkspace },
  { table: 'WorkflowStep', where: byWorkspace },
  { table: 'WorkflowRun', where: byWorkspace },
  { table: 'WorkflowSchedule', where: byWorkspace },
  { table: 'RemediationPolicy', where: byWorkspace },
  { table: 'WorkflowVersion', where: '"workflowId" IN (SELECT "id" FROM "Workflow" WHERE "workspaceId" = $1)' },
  { table: 'Workflow', where: byWorkspace },
  { table: 'ToolCallIdempotency', where: byWorkspace },
  { table: 'ToolCall', where: byWorkspace },
  { table: 'SandboxOutbox', where: byWorkspace },
  { table: 'McpServer', where: byWorkspace },
  { table: 'Integration', where: byWorkspace },
  { table: 'Anomaly', where: byWorkspace },
  { table: 'Incident', where: byWorkspace },
  { table: 'MetricPoint', where: byWorkspace },
  { table: 'ActiveActorDay', where: byWorkspace },
  { table: 'SignalEvent', where: byWorkspace },
  { table: 'Deploy', where: byWorkspace },
  { table: 'SupportTicket', where: byWorkspace },
  { table: 'Invoice', where: byWorkspace },
  { table: 'MrrChange', where: byWorkspace },
  { table: 'Subscription', where: byWorkspace },
  { table: 'Customer', where: byWorkspace },
  { table: 'Plan', where: byWorkspace },
  { table: 'UiSchema', where: byWorkspace },
  { table: 'OAuthToken', where: '"grantId" IN (SELECT "id" FROM "OAuthGrant" WHERE "workspaceId" = $1)' },
  { table: 'OAuthGrant', where: byWorkspace },
  { table: 'OAuthAuthorizationCode', where: byWorkspace },
  { table: 'ApiKey', where: byWorkspace },
  { table: 'Invitation', where: byWorkspace },
  { table: 'Membership', where: byWorkspace },
  { table: 'AuditLog', where: byWorkspace },
] as const satisfies readonly PurgeStep[];

/** Models with a `workspaceId` field, read from the generated client's types. */
type WorkspaceScopedModel = {
  [Model in Prisma.ModelName]: 'workspaceId' extends keyof Prisma.TypeMap['model'][Model]['payload']['scalars'] ? Model : never;
}[Prisma.ModelName];
type UnpurgedModel = Exclude<WorkspaceScopedModel, (typeof purgeSteps)[number]['table']>;
// A model added with a workspaceId and left out of purgeSteps fails type-checking here, naming the model.
const everyScopedModelIsPurged: [UnpurgedModel] extends [never] ? true : UnpurgedModel = true;
void everyScopedModelIsPurged;

/** The tables the purge empties of one workspace, in the order it deletes them (the Workspace row last). */
export const purgedTables: readonly string[] = [...purgeSteps.map((step) => step.table), 'Workspace'];

export interface WorkspacePurgeResult {
  workspaceId: string;
  /** Rows deleted per table, including the Workspace row itself. */
  deleted: Record<string, number>;
  totalRows: number;
  /** The chat sessions that were deleted, with their last event seq, so their live streams can be ended. */
  chatSessions: Array<{ id: string; lastSeq: number }>;
  durationMs: number;
}

/**
 * Locks what concurrent writers lock, so they finish before the purge or run
 * after it and find nothing: the workspace row (a second purge waits, then
 * finds no workspace), every run (the engine holds a run's row lock for each
 * of its transactions: after the purge it finds no run and writes nothing)
 * and every chat session (appending an event updates the session's row).
 */
async function lockWorkspace(session: SqlSession, workspaceId: string) {
  const [workspace] = await session.query<{ id: string }>('SELECT "id" FROM "Workspace" WHERE "id" = $1 FOR UPDATE', [workspaceId]);
  if (!workspace) return null;
  await session.query('SELECT "id" FROM "WorkflowRun" WHERE "workspaceId" = $1 ORDER BY "id" FOR UPDATE', [workspaceId]);
  const chatSessions = await session.query<{ id: string; lastSeq: number }>(
    'SELECT "id", "lastSeq" FROM "ChatSession" WHERE "workspaceId" = $1 ORDER BY "id" FOR UPDATE',
    [workspaceId],
  );
  return { chatSessions: chatSessions.map((row) => ({ id: row.id, lastSeq: Number(row.lastSeq) })) };
}

/**
 * Deletes every row the workspace owns in every workspace-scoped table, then
 * the workspace, in one transaction: either all of it goes or none. Returns
 * null when the workspace does not exist. Rows not scoped by a workspace
 * (users, the runner lease, rate-limit buckets, OAuth clients) are left alone.
 */
export async function purgeWorkspace(db: Database, workspaceId: string): Promise<WorkspacePurgeResult | null> {
  const started = performance.now();
  const outcome = await db.transaction(async (session) => {
    const locked = await lockWorkspace(session, workspaceId);
    if (!locked) return null;
    const deleted: Record<string, number> = {};
    for (const step of purgeSteps) {
      deleted[step.table] = await session.execute(`DELETE FROM "${step.table}" WHERE ${step.where}`, [workspaceId]);
    }
    deleted.Workspace = await session.execute('DELETE FROM "Workspace" WHERE "id" = $1', [workspaceId]);
    return { deleted, chatSessions: locked.chatSessions };
  });
  if (!outcome) return null;
  return {
    workspaceId,
    ...outcome,
    totalRows: Object.values(outcome.deleted).reduce((sum, count) => sum + count, 0),
    durationMs: Math.round(performance.now() - started),
  };
}
