import { WorkspaceAiSettings } from '@opspilot/core/agents';
import type { Database } from '../client';
import type { Prisma } from '../generated/prisma/client';

/** `Workspace.settings.ai`: the workspace's model and its sealed provider keys. */
export async function readWorkspaceAiSettings(db: Database, workspaceId: string): Promise<WorkspaceAiSettings> {
  const workspace = await db.prisma.workspace.findUnique({ where: { id: workspaceId }, select: { settings: true } });
  const settings = workspace?.settings as { ai?: unknown } | null | undefined;
  const parsed = WorkspaceAiSettings.safeParse(settings?.ai ?? {});
  return parsed.success ? parsed.data : {};
}

/** Replaces `settings.ai` and keeps every other settings key (e.g. the demo seed's) as it was. */
export async function writeWorkspaceAiSettings(db: Database, workspaceId: string, ai: WorkspaceAiSettings): Promise<void> {
  await db.transaction(async (transaction) => {
    const rows = await transaction.query<{ settings: Record<string, unknown> | null }>('SELECT "settings" FROM "Workspace" WHERE "id" = $1 FOR UPDATE', [workspaceId]);
    const current = rows[0]?.settings ?? {};
    const next: Prisma.InputJsonObject = JSON.parse(JSON.stringify({ ...current, ai })) as Prisma.InputJsonObject;
    await transaction.execute('UPDATE "Workspace" SET "settings" = $2::jsonb WHERE "id" = $1', [workspaceId, JSON.stringify(next)]);
  });
}
