import { ingestEvents } from '@opspilot/core/signals';
import type { Database } from '../client';
import { createChatRepository } from './chat-repository';
import { createSignalsStores } from './signals-repositories';

const now = new Date('2026-11-25T10:00:00Z');
const later = new Date('2026-12-25T10:00:00Z');

async function fillChat(db: Database, workspaceId: string, tag: string): Promise<void> {
  const chats = createChatRepository(db);
  const session = await chats.createSession({ workspaceId, title: `purge ${tag}`, createdById: null });
  await chats.appendMessage({ workspaceId, sessionId: session.id, role: 'user', content: 'hello' });
  await chats.appendEvent({ workspaceId, sessionId: session.id, body: { type: 'text-delta', agent: 'planner', text: 'hi' }, at: now });
  await db.prisma.agent.create({ data: { workspaceId, kind: 'custom', name: `purge-${tag}`, instructions: 'none', allowedTools: [] } });
}

async function fillWorkflows(db: Database, workspaceId: string, tag: string): Promise<void> {
  const workflow = await db.prisma.workflow.create({
    data: { workspaceId, key: `purge-${tag}`, name: 'Purge fixture', versions: { create: { version: 1, definition: { nodes: [], edges: [] } } } },
  });
  const run = await db.prisma.workflowRun.create({
    data: {
      workspaceId, workflowId: workflow.id, workflowVersion: 1, status: 'waiting', trigger: { mode: 'manual' }, lastSeq: 1,
      steps: { create: [
        { workspaceId, nodeId: 'ask', status: 'waiting', idempotencyKey: `purge-${tag}-ask` },
        { workspaceId, nodeId: 'act', status: 'ready', idempotencyKey: `purge-${tag}-act`, availableAt: new Date(0) },
      ] },
      events: { create: { workspaceId, seq: 1, type: 'run-start', payload: {} } },
    },
    include: { steps: true },
  });
  await db.prisma.approval.create({
    data: { workspaceId, runId: run.id, stepId: run.steps.find((step) => step.nodeId === 'ask')?.id ?? null, title: 'Approve?', expiresAt: later },
  });
  await db.prisma.workflowSchedule.create({ data: { workspaceId, workflowId: workflow.id, nodeId: 'cron', cron: '0 * * * *', nextRunAt: later } });
  await db.prisma.remediationPolicy.create({ data: { workspaceId, name: `purge-${tag}`, match: {}, workflowId: workflow.id } });
}

async function fillIntegrations(db: Database, workspaceId: string, tag: string): Promise<void> {
  await db.prisma.integration.create({ data: { workspaceId, provider: 'slack', name: `purge-${tag}`, disabledTools: [] } });
  await db.prisma.mcpServer.create({ data: { workspaceId, name: `purge-${tag}`, url: 'http://127.0.0.1:1/mcp', disabledTools: [] } });
  await db.prisma.toolCall.create({ data: { workspaceId, actorType: 'user', server: 'slack', tool: 'slack.post', argsHash: 'x', status: 'ok', latencyMs: 1 } });
  await db.prisma.toolCallIdempotency.create({ data: { workspaceId, tool: 'slack.post', key: `purge-${tag}`, argsHash: 'x', state: 'done', callId: 'c', leaseUntil: now } });
  await db.prisma.sandboxOutbox.create({ data: { workspaceId, connector: 'slack', action: 'post', payload: {}, idempotencyKey: `purge-${tag}` } });
}

async function fillSignals(db: Database, workspaceId: string, tag: string): Promise<void> {
  const events = [{ id: `purge-${tag}`, type: 'page.viewed', source: 'app', occurredAt: now.toISOString(), actorId: `actor-${tag}` }];
  await ingestEvents(createSignalsStores(db), workspaceId, { events, atomic: true });
  const customer = await db.prisma.customer.create({ data: { workspaceId, externalId: `purge-${tag}`, name: 'Purge Co', createdAt: now } });
  await db.prisma.plan.create({ data: { workspaceId, key: `purge-${tag}`, name: 'Purge', tier: 9, monthlyPrice: 1, annualPrice: 10 } });
  await db.prisma.subscription.create({
    data: { workspaceId, customerId: customer.id, externalId: `purge-${tag}`, planKey: `purge-${tag}`, interval: 'month', status: 'active', amount: 1, startedAt: now },
  });
  await db.prisma.mrrChange.create({ data: { workspaceId, customerId: customer.id, occurredAt: now, mrrBefore: 0, mrrAfter: 1, sourceEvent: `purge-${tag}` } });
  await db.prisma.invoice.create({ data: { workspaceId, customerId: customer.id, externalId: `purge-${tag}`, amount: 1, status: 'paid', dueAt: now, createdAt: now } });
  await db.prisma.supportTicket.create({ data: { workspaceId, externalId: `purge-${tag}`, subject: 'Help', priority: 'low', status: 'open', createdAt: now } });
  await db.prisma.deploy.create({ data: { workspaceId, service: 'api', version: tag, deployedAt: now } });
  const incident = await db.prisma.incident.create({ data: { workspaceId, title: 'Purge', severity: 'info', metrics: ['errors'], startedAt: now, lastSeenAt: now } });
  await db.prisma.anomaly.create({
    data: {
      workspaceId, metric: `purge_${tag}`, detector: 'ewma', windowStart: now, windowEnd: now, expected: 1, lower: 0, upper: 2, actual: 5, score: 4,
      direction: 'up', severity: 'info', incidentId: incident.id,
    },
  });
}

async function fillAccess(db: Database, workspaceId: string, tag: string, userId: string): Promise<void> {
  await db.prisma.membership.create({ data: { workspaceId, userId, role: 'owner' } });
  await db.prisma.invitation.create({ data: { workspaceId, email: `${tag}@example.com`, role: 'viewer', tokenHash: `purge-${tag}`, expiresAt: later } });
  await db.prisma.apiKey.create({ data: { workspaceId, name: 'purge', prefix: 'opk_x', hash: `purge-${tag}`, scopes: ['read'] } });
  await db.prisma.auditLog.create({ data: { workspaceId, actorType: 'system', action: 'purge.fixture', targetType: 'workspace', targetId: workspaceId } });
  await db.prisma.uiSchema.create({ data: { workspaceId, context: `purge-${tag}`, version: 1, spec: {}, source: 'manual' } });
  const scopes = ['read'];
  await db.prisma.oAuthAuthorizationCode.create({
    data: { codeHash: `purge-${tag}`, clientId: 'opc_purge', userId, workspaceId, scopes, redirectUri: 'http://127.0.0.1/cb', codeChallenge: 'c', resource: 'r', expiresAt: later },
  });
  await db.prisma.oAuthGrant.create({
    data: { clientId: 'opc_purge', userId, workspaceId, scopes, resource: 'r', tokens: { create: { kind: 'access', hash: `purge-${tag}`, expiresAt: later } } },
  });
}

/**
 * One row (at least) in every workspace-scoped table for `workspaceId`, written
 * through the real repositories where there is one (chat events, ingest with
 * its rollups and active actors) and Prisma elsewhere.
 */
export async function fillWorkspace(db: Database, input: { workspaceId: string; tag: string; userId: string }): Promise<void> {
  const { workspaceId, tag, userId } = input;
  await fillChat(db, workspaceId, tag);
  await fillWorkflows(db, workspaceId, tag);
  await fillIntegrations(db, workspaceId, tag);
  await fillSignals(db, workspaceId, tag);
  await fillAccess(db, workspaceId, tag, userId);
}
