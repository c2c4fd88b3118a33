import type { AgentConfig, AgentKindName, AgentRepository } from '@opspilot/core/agents';
import type { Database } from '../client';
import type { AgentKind } from '../generated/prisma/client';

const kindToRow: Record<AgentKindName, AgentKind> = {
  planner: 'planner',
  'ops-intelligence': 'ops_intelligence',
  'ui-designer': 'ui_designer',
  remediation: 'remediation',
};

const rowToKind: Partial<Record<AgentKind, AgentKindName>> = Object.fromEntries(
  Object.entries(kindToRow).map(([kind, row]) => [row, kind as AgentKindName]),
);

const agentSelect = { id: true, workspaceId: true, kind: true, name: true, description: true, instructions: true, model: true, allowedTools: true, enabled: true } as const;

function toAgentConfig(row: { kind: AgentKind } & Omit<AgentConfig, 'kind'>): AgentConfig | null {
  const kind = rowToKind[row.kind];
  return kind ? { ...row, kind } : null;
}

/** Per-workspace agent configuration (the Agent table); `custom` agents are not run by the orchestrator. */
export function createAgentRepository(db: Database): AgentRepository {
  return {
    async listAgents(workspaceId) {
      const rows = await db.prisma.agent.findMany({ where: { workspaceId }, orderBy: { createdAt: 'asc' }, select: agentSelect });
      return rows.map(toAgentConfig).filter((agent): agent is AgentConfig => agent !== null);
    },
    async insertMissingAgents(workspaceId, agents) {
      await db.prisma.agent.createMany({
        data: agents.map((agent) => ({ ...agent, workspaceId, kind: kindToRow[agent.kind] })),
        skipDuplicates: true,
      });
    },
    async updateAgent(workspaceId, agentId, patch) {
      const updated = await db.prisma.agent.updateMany({ where: { id: agentId, workspaceId }, data: patch });
      if (updated.count === 0) return null;
      const row = await db.prisma.agent.findFirst({ where: { id: agentId, workspaceId }, select: agentSelect });
      return row ? toAgentConfig(row) : null;
    },
  };
}
