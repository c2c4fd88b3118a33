import type { ApprovalPort } from '@opspilot/core/agents';
import type { Database } from '../client';
import type { Prisma } from '../generated/prisma/client';

/** How long a chat-requested approval stays pending before it expires. */
const approvalLifetimeMs = 24 * 60 * 60 * 1000;

/**
 * Creates pending Approval rows for actions agents ask for. Only the
 * workflow engine's `decideApproval` (a person, through the API) moves them
 * on; nothing here can approve.
 */
export function createAgentApprovals(db: Database, clock: { now(): Date }): ApprovalPort {
  return {
    async requestApproval(input) {
      // A JSON round trip turns the tool arguments into plain JSON for the Json column.
      const payload = JSON.parse(JSON.stringify({ source: 'chat', action: input.action })) as Prisma.InputJsonObject;
      const approval = await db.prisma.approval.create({
        data: {
          workspaceId: input.workspaceId,
          sessionId: input.sessionId,
          title: input.title.slice(0, 200),
          summary: input.summary.slice(0, 2_000),
          payload,
          requestedBy: input.requestedBy,
          expiresAt: new Date(clock.now().getTime() + approvalLifetimeMs),
        },
        select: { id: true },
      });
      return { approvalId: approval.id };
    },
  };
}
