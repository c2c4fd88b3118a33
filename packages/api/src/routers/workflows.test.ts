import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { anomalyTopic } from '@opspilot/core/signals';
import { silentLogger } from '@opspilot/core/ports';
import type { WorkflowDefinitionInput } from '@opspilot/core/workflows';
import { asKey, asUser, callRest, createTestCaller, signUpTestUser, type TestUser } from '../auth/testing';
import { handleRestRequest } from '../rest/handler';
import { createRuntime, type Runtime } from '../runtime';
import { offerAnomalyToPolicies, offerIncidentToPolicies, startRemediationBridge } from '../workflows/remediation-bridge';

type Caller = Awaited<ReturnType<typeof createTestCaller>>;
type RunEvent = { id: string; runId: string; seq: number; type: string; payload: Record<string, unknown> };

/** Reads a subscription until it ends (a single-run stream ends after run-end) or `count` events arrived. */
async function collect(stream: AsyncIterable<unknown>, count = Number.POSITIVE_INFINITY): Promise<RunEvent[]> {
  const events: RunEvent[] = [];
  const iterator = stream[Symbol.asyncIterator]();
  while (events.length < count) {
    const next = await iterator.next();
    if (next.done) break;
    // Through createCaller a tracked() event is the raw [id, data] tuple.
    const [id, data] = next.value as [string, RunEvent];
    expect(id).toBe(data.id);
    events.push(data);
  }
  await iterator.return?.(undefined);
  return events;
}

describe('workflows router on the demo workspace, through the real gateway', () => {
  let runtime: Runtime;
  let workspaceId: string;
  let admin: Caller;
  let member: Caller;
  let viewer: Caller;
  let writeKey: Caller;
  let adminKeySecret: string;
  let memberUser: TestUser;
  const workflowIdOf: Record<string, string> = {};

  async function join(name: string, role: 'admin' | 'member' | 'viewer'): Promise<TestUser> {
    const user = await signUpTestUser(runtime, name);
    await runtime.db.prisma.membership.create({ data: { workspaceId, userId: user.userId, role } });
    return user;
  }

  const outboxCount = (connector: string, runId: string) =>
    runtime.db.prisma.sandboxOutbox.count({ where: { workspaceId, connector, idempotencyKey: { contains: runId } } });

  beforeAll(async () => {
    runtime = await createRuntime({
      env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' },
      logger: silentLogger,
      printDemoCredentials: false,
      startWorker: false,
      limits: { perPrincipalPerMinute: 1_000_000, perIpPerMinute: 1_000_000 },
    });
    workspaceId = (await runtime.db.prisma.workspace.findFirstOrThrow({ where: { isDemo: true } })).id;
    admin = await createTestCaller(runtime, asUser(await join('Ada', 'admin')));
    memberUser = await join('Max', 'member');
    member = await createTestCaller(runtime, asUser(memberUser));
    viewer = await createTestCaller(runtime, asUser(await join('Vera', 'viewer')));
    writeKey = await createTestCaller(runtime, asKey((await admin.apiKey.create({ workspaceId, name: 'ci', scopes: ['read', 'write'] })).secret));
    adminKeySecret = (await admin.apiKey.create({ workspaceId, name: 'ops bot', scopes: ['read', 'write', 'admin'] })).secret;
    for (const workflow of (await viewer.workflows.list({ workspaceId })).items) workflowIdOf[workflow.key] = workflow.id;
  }, 120_000);
  afterAll(async () => runtime?.close());

  it('seeds the three demo workflows once, each with a suggest-mode policy, and lists them over REST', async () => {
    expect(Object.keys(workflowIdOf).sort()).toEqual(['churn-save', 'failed-payment-follow-up', 'latency-regression-rollback']);
    const { items: policies } = await viewer.workflows.policies({ workspaceId });
    expect(policies.map((policy) => policy.workflowId).sort()).toEqual(Object.values(workflowIdOf).sort());
    expect(policies.every((policy) => policy.mode === 'suggest')).toBe(true);
    const { seedDemoWorkflows } = await import('../workflows/workflow-runtime');
    expect(await seedDemoWorkflows(runtime.db, runtime.workflows, silentLogger)).toEqual({ created: 0 });
    const response = await handleRestRequest(
      new Request(`http://localhost/api/v1/workspaces/${workspaceId}/workflows`, { headers: { authorization: `Bearer ${adminKeySecret}` } }),
      runtime,
    );
    expect(response.status).toBe(200);
    expect(((await response.json()) as { items: unknown[] }).items).toHaveLength(3);
  });

  it('runs failed-payment follow-up end to end: stops at the approval, a key cannot approve, a member approves, Slack and Linear get exactly one write each', async () => {
    const workflowId = workflowIdOf['failed-payment-follow-up']!;
    const run = await member.workflows.start({ workspaceId, workflowId });
    expect(run.status).toBe('pending');
    await runtime.workflows.drain('test-worker');
    const waiting = await viewer.workflows.run({ workspaceId, runId: run.id });
    expect(waiting.status).toBe('waiting');
    expect(waiting.steps.find((step) => step.nodeId === 'findInvoices')?.output).toMatchObject({ invoices: expect.any(Array) as unknown });
    expect(waiting.steps.find((step) => step.nodeId === 'notifyBilling')?.status).toBe('succeeded');
    expect(waiting.definition?.nodes.map((node) => node.id)).toContain('approveIssue');
    const [approval] = waiting.approvals;
    expect(approval).toMatchObject({ status: 'pending', title: 'Open a Linear issue for the failed payments?' });
    expect(await outboxCount('slack', run.id)).toBe(1);
    expect(await outboxCount('linear', run.id)).toBe(0);

    // Keys never decide, whatever their scopes; over REST too.
    await expect(writeKey.workflows.approve({ workspaceId, approvalId: approval!.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const rest = await handleRestRequest(
      new Request(`http://localhost/api/v1/workspaces/${workspaceId}/approvals/${approval!.id}/approve`, {
        method: 'POST', headers: { authorization: `Bearer ${adminKeySecret}`, 'content-type': 'application/json' }, body: '{}',
      }),
      runtime,
    );
    expect(rest.status).toBe(403);
    await expect(viewer.workflows.approve({ workspaceId, approvalId: approval!.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });

    const decided = await member.workflows.approve({ workspaceId, approvalId: approval!.id, note: 'Go ahead', expectedVersion: approval!.version });
    expect(decided).toMatchObject({ status: 'approved', decidedById: memberUser.userId, decisionNote: 'Go ahead' });
    await expect(admin.workflows.reject({ workspaceId, approvalId: approval!.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await runtime.workflows.drain('test-worker');

    const finished = await viewer.workflows.run({ workspaceId, runId: run.id });
    expect(finished.status).toBe('succeeded');
    expect(finished.steps.find((step) => step.nodeId === 'createIssue')).toMatchObject({ status: 'succeeded', output: { sandbox: true } });
    expect(await outboxCount('slack', run.id)).toBe(1);
    expect(await outboxCount('linear', run.id)).toBe(1);
    const runs = await viewer.workflows.runs({ workspaceId, workflowId });
    expect(runs.items.map((item) => item.id)).toContain(run.id);
  }, 60_000);

  it('streams a run’s events in order, then resumes after lastEventId with each later event exactly once', async () => {
    const run = await member.workflows.start({ workspaceId, workflowId: workflowIdOf['churn-save']! });
    const live = collect(await viewer.workflows.onRunEvent({ workspaceId, runId: run.id }));
    await runtime.workflows.drain('test-worker');
    const events = await live;
    expect(events.map((event) => event.seq)).toEqual(events.map((_, index) => index + 1));
    expect(events[0]?.type).toBe('run-start');
    expect(events.at(-1)).toMatchObject({ type: 'run-end', payload: { status: 'succeeded' } });
    expect(new Set(events.map((event) => event.type))).toEqual(new Set(['run-start', 'step-start', 'step-end', 'run-end']));
    // Both parallel branches ran: Notion got the outreach draft, Slack the heads-up.
    expect(await outboxCount('notion', run.id)).toBe(1);
    expect(await outboxCount('slack', run.id)).toBe(1);

    const cut = events[3]!;
    const resumed = await collect(await viewer.workflows.onRunEvent({ workspaceId, runId: run.id, lastEventId: cut.id }));
    expect(resumed.map((event) => event.id)).toEqual(events.slice(4).map((event) => event.id));
    expect(await collect(await viewer.workflows.onRunEvent({ workspaceId, runId: run.id, lastEventId: events.at(-1)!.id }))).toEqual([]);
  }, 60_000);

  it('follows every run of the workspace on the workspace-wide stream, approval-request included', async () => {
    const stream = await viewer.workflows.onRunEvent({ workspaceId });
    const iterator = stream[Symbol.asyncIterator]();
    const first = iterator.next();
    const run = await member.workflows.start({ workspaceId, workflowId: workflowIdOf['latency-regression-rollback']! });
    await runtime.workflows.drain('test-worker');
    // Late bus messages of earlier tests' runs may interleave: this stream is live for every run, so keep only this run's.
    const events: RunEvent[] = [];
    for (let next = await first; !next.done && events.length < 4; next = await iterator.next()) {
      const [, data] = next.value as unknown as [string, RunEvent];
      if (data.runId === run.id) events.push(data);
    }
    await iterator.return?.(undefined);
    expect(events.map((event) => event.type)).toEqual(['run-start', 'step-start', 'step-end', 'step-start']);
    const all = await collect(await viewer.workflows.onRunEvent({ workspaceId, runId: run.id }), 5);
    expect(all.map((event) => event.type)).toEqual(['run-start', 'step-start', 'step-end', 'step-start', 'approval-request']);
    await member.workflows.cancel({ workspaceId, runId: run.id });
  }, 60_000);

  it('lets a viewer read but not start, and cancels a run once (409 after)', async () => {
    const workflowId = workflowIdOf['churn-save']!;
    await expect(viewer.workflows.start({ workspaceId, workflowId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const run = await writeKey.workflows.start({ workspaceId, workflowId, idempotencyKey: 'retry-me' });
    expect((await writeKey.workflows.start({ workspaceId, workflowId, idempotencyKey: 'retry-me' })).id).toBe(run.id);
    await expect(viewer.workflows.cancel({ workspaceId, runId: run.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const cancelled = await member.workflows.cancel({ workspaceId, runId: run.id, reason: 'Not today' });
    expect(cancelled.status).toBe('cancelled');
    await expect(member.workflows.cancel({ workspaceId, runId: run.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await runtime.workflows.drain('test-worker');
    expect(await outboxCount('notion', run.id)).toBe(0);
    await expect(viewer.workflows.run({ workspaceId, runId: 'run_missing' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The seed route's REST twin: POST /workflows/{workflowId}/run, then GET /runs/{runId}.
    const rest = (method: string, path: string, body?: unknown) =>
      callRest(runtime, { method, path: `/v1/workspaces/${workspaceId}${path}`, key: adminKeySecret, body });
    const started = await rest('POST', `/workflows/${workflowId}/run`, {});
    expect(started.status).toBe(200);
    const restRun = (await started.json()) as { id: string; status: string };
    expect(restRun.status).toBe('pending');
    const fetched = await rest('GET', `/runs/${restRun.id}`);
    expect(((await fetched.json()) as { steps: unknown[] }).steps.length).toBeGreaterThan(0);
    expect((await rest('POST', `/runs/${restRun.id}/cancel`, {})).status).toBe(200);
    expect((await rest('POST', `/runs/${restRun.id}/cancel`, {})).status).toBe(409);
  }, 60_000);

  it('creates and versions workflows (admins only), refusing invalid graphs with the node named', async () => {
    const definition = {
      nodes: [
        { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
        { id: 'tell', kind: 'action', tool: 'notify', input: { channel: 'ops', message: 'hello' } },
      ],
      edges: [{ from: 'start', to: 'tell' }],
    } satisfies WorkflowDefinitionInput;
    await expect(member.workflows.create({ workspaceId, key: 'hello', name: 'Hello', definition })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const created = await admin.workflows.create({ workspaceId, key: 'hello', name: 'Hello', definition });
    expect(created).toMatchObject({ key: 'hello', currentVersion: 1 });
    const broken: WorkflowDefinitionInput = { ...definition, nodes: [...definition.nodes, { id: 'ghost', kind: 'action', tool: 'stripe__does_not_exist', input: {} }] };
    await expect(admin.workflows.update({ workspaceId, workflowId: created.id, definition: broken })).rejects.toMatchObject({
      code: 'BAD_REQUEST', message: expect.stringContaining('ghost') as unknown,
    });
    const updated = await admin.workflows.update({ workspaceId, workflowId: created.id, name: 'Hello again', definition: { ...definition, edges: [...definition.edges] } });
    expect(updated).toMatchObject({ name: 'Hello again', currentVersion: 2 });
    expect((await viewer.workflows.get({ workspaceId, workflowId: created.id })).definition.nodes).toHaveLength(2);
  });

  it('policies and the kill switch through the API: an auto run is cancelled and new automatic runs degrade to suggestions', async () => {
    const reversible = await admin.workflows.create({
      workspaceId, key: 'restart-worker', name: 'Restart worker', reversible: true,
      definition: {
        nodes: [
          { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
          { id: 'wait', kind: 'delay', durationMs: 3_600_000 },
          { id: 'tell', kind: 'action', tool: 'notify', input: { channel: 'ops', message: 'restarted' } },
        ],
        edges: [{ from: 'start', to: 'wait' }, { from: 'wait', to: 'tell' }],
      },
    });
    await expect(member.workflows.createPolicy({ workspaceId, name: 'x', match: {}, workflowId: reversible.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const policy = await admin.workflows.createPolicy({ workspaceId, name: 'Queue backlog', match: { metric: 'queue_depth' }, workflowId: reversible.id, mode: 'suggest' });
    const updated = await admin.workflows.updatePolicy({ workspaceId, policyId: policy.id, mode: 'auto', minConfidence: 0.5 });
    expect(updated).toMatchObject({ mode: 'auto', minConfidence: 0.5, name: 'Queue backlog' });
    const signal = { kind: 'anomaly' as const, id: 'an_1', metric: 'queue_depth', severity: 'critical' as const, confidence: 0.9 };
    const [auto] = await runtime.workflows.handleSignal({ workspaceId, signal });
    expect(auto).toMatchObject({ mode: 'auto', policyId: policy.id });
    await runtime.workflows.drain('test-worker');

    await expect(member.workflows.setKillSwitch({ workspaceId, enabled: true })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const switched = await admin.workflows.setKillSwitch({ workspaceId, enabled: true });
    expect(switched.cancelledRunIds).toEqual([auto!.runId]);
    expect(await viewer.workflows.killSwitch({ workspaceId })).toEqual({ enabled: true });
    expect((await viewer.workflows.run({ workspaceId, runId: auto!.runId! })).status).toBe('cancelled');
    const [degraded] = await runtime.workflows.handleSignal({ workspaceId, signal: { ...signal, id: 'an_2' } });
    expect(degraded).toMatchObject({ mode: 'suggest', reason: 'the workspace kill switch is on' });
    await member.workflows.cancel({ workspaceId, runId: degraded!.runId! });
    expect(await admin.workflows.setKillSwitch({ workspaceId, enabled: false })).toEqual({ enabled: false, cancelledRunIds: [] });
  }, 60_000);

  it('offers new, recent, bad-direction anomalies to the policies through the remediation bridge: one suggested run per anomaly, behind an approval gate', async () => {
    const now = runtime.clock.now().getTime();
    const anomaly = (direction: 'up' | 'down', minutesAgo: number) =>
      runtime.db.prisma.anomaly.create({
        data: {
          workspaceId, metric: 'latency_p95', detector: 'test', windowStart: new Date(now - minutesAgo * 60_000), windowEnd: new Date(now - (minutesAgo - 5) * 60_000),
          expected: 120, lower: 90, upper: 150, actual: 900, score: 0.97, direction, severity: 'critical',
        },
      });
    const runsOf = async (signalId: string) =>
      (await runtime.workflows.listRuns({ workspaceId, workflowId: workflowIdOf['latency-regression-rollback']!, limit: 100 })).filter((run) => run.trigger.signalId === signalId);
    const faster = await anomaly('down', 30);
    await offerAnomalyToPolicies(runtime, workspaceId, faster.id);
    expect(await runsOf(faster.id)).toEqual([]);
    // History (a detection pass over last month) is not remediated now.
    const old = await anomaly('up', 3 * 24 * 60);
    await offerAnomalyToPolicies(runtime, workspaceId, old.id);
    expect(await runsOf(old.id)).toEqual([]);

    const slower = await anomaly('up', 20);
    const stop = startRemediationBridge({ runtime });
    try {
      // Published until the bridge has subscribed; the run idempotency key keeps it at one run however often it is heard.
      await vi.waitFor(async () => {
        await runtime.eventBus.publish(anomalyTopic(workspaceId), { type: 'anomaly-created', anomalyId: slower.id, metric: 'latency_p95', severity: 'critical' });
        expect(await runsOf(slower.id)).toHaveLength(1);
      }, { timeout: 20_000, interval: 100 });
    } finally {
      await stop();
    }
    await offerAnomalyToPolicies(runtime, workspaceId, slower.id);
    const [run] = await runsOf(slower.id);
    expect(await runsOf(slower.id)).toHaveLength(1);
    expect(run!.trigger).toMatchObject({ type: 'anomaly', mode: 'suggest', nodeId: 'latencyAnomaly' });
    await runtime.workflows.drain('test-worker');
    const detail = await viewer.workflows.run({ workspaceId, runId: run!.id });
    expect(detail.status).toBe('waiting');
    expect(detail.steps.find((step) => step.nodeId === 'rollback')?.status).toBe('pending');
    expect(detail.approvals).toHaveLength(1);
    await member.workflows.cancel({ workspaceId, runId: run!.id });
  }, 60_000);

  it('offers a newly opened, live incident to policies that match incidents, and ignores history', async () => {
    const policy = await admin.workflows.createPolicy({
      workspaceId, name: 'Latency incident: propose a rollback', workflowId: workflowIdOf['latency-regression-rollback']!,
      match: { kind: 'incident', metric: 'latency_p95', severity: 'warning' },
    });
    const now = runtime.clock.now();
    const incident = (hoursAgo: number) =>
      runtime.db.prisma.incident.create({
        data: {
          workspaceId, title: 'p95 latency up', severity: 'critical', metrics: ['latency_p95', 'error_count'],
          startedAt: new Date(now.getTime() - (hoursAgo + 1) * 3_600_000), lastSeenAt: new Date(now.getTime() - hoursAgo * 3_600_000),
        },
      });
    const runsOf = async (signalId: string) =>
      (await runtime.workflows.listRuns({ workspaceId, workflowId: workflowIdOf['latency-regression-rollback']!, limit: 100 })).filter((run) => run.trigger.signalId === signalId);
    try {
      const old = await incident(48);
      await offerIncidentToPolicies(runtime, workspaceId, old.id);
      expect(await runsOf(old.id)).toEqual([]);
      const live = await incident(0.1);
      await offerIncidentToPolicies(runtime, workspaceId, live.id);
      await offerIncidentToPolicies(runtime, workspaceId, live.id);
      const runs = await runsOf(live.id);
      expect(runs).toHaveLength(1);
      expect(runs[0]!.trigger).toMatchObject({ type: 'incident', mode: 'suggest' });
      await member.workflows.cancel({ workspaceId, runId: runs[0]!.id });
    } finally {
      await admin.workflows.updatePolicy({ workspaceId, policyId: policy.id, enabled: false });
    }
  });

  it('starts the run an MCP client proposed once a signed-in member approves the request, exactly once', async () => {
    const workflowId = workflowIdOf['churn-save']!;
    const request = await runtime.db.prisma.approval.create({
      data: {
        workspaceId, title: 'Run Churn save', summary: 'Churn is up', requestedBy: 'apikey:test', expiresAt: new Date(Date.now() + 3_600_000),
        payload: { kind: 'workflow-run-request', source: 'mcp', workflowKey: 'churn-save', workflowId: null, input: { reason: 'churn up' } },
      },
    });
    await expect(writeKey.workflows.approve({ workspaceId, approvalId: request.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const decided = await member.workflows.approve({ workspaceId, approvalId: request.id });
    expect(decided.startedRunId).toEqual(expect.any(String));
    const run = await viewer.workflows.run({ workspaceId, runId: decided.startedRunId! });
    expect(run).toMatchObject({ workflowId, createdById: memberUser.userId, input: { reason: 'churn up' } });
    await expect(member.workflows.approve({ workspaceId, approvalId: request.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    await member.workflows.cancel({ workspaceId, runId: run.id });
  });

  it('carries out a tool call a chat turn asked for only after a signed-in member approves, exactly once', async () => {
    const text = `Heads-up from chat ${Date.now()}`;
    const request = await runtime.db.prisma.approval.create({
      data: {
        workspaceId, title: 'Post to #ops', summary: 'Asked in chat', requestedBy: 'agent:remediation', expiresAt: new Date(Date.now() + 3_600_000),
        payload: { source: 'chat', action: { kind: 'tool', name: 'slack__post_message', args: { channel: '#ops', text } } },
      },
    });
    const outboxRows = () => runtime.db.prisma.sandboxOutbox.findMany({ where: { workspaceId, connector: 'slack' } });
    const before = (await outboxRows()).filter((row) => JSON.stringify(row.payload).includes(text));
    expect(before).toHaveLength(0);
    await expect(writeKey.workflows.approve({ workspaceId, approvalId: request.id })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    const decided = await member.workflows.approve({ workspaceId, approvalId: request.id });
    expect(decided).toMatchObject({ status: 'approved', startedRunId: null, toolResult: { tool: 'slack__post_message', isError: false } });
    await expect(member.workflows.approve({ workspaceId, approvalId: request.id })).rejects.toMatchObject({ code: 'CONFLICT' });
    const after = (await outboxRows()).filter((row) => JSON.stringify(row.payload).includes(text));
    expect(after).toHaveLength(1);
  });

  it('starts the workflow a chat turn proposed once approved, and a rejected request runs nothing', async () => {
    const proposal = (name: string) =>
      runtime.db.prisma.approval.create({
        data: {
          workspaceId, title: `Run ${name}`, summary: 'Asked in chat', requestedBy: 'agent:remediation', expiresAt: new Date(Date.now() + 3_600_000),
          payload: { source: 'chat', action: { kind: 'workflow', name, args: {} } },
        },
      });
    const rejected = await proposal('churn-save');
    const runsBefore = await runtime.db.prisma.workflowRun.count({ where: { workspaceId } });
    expect(await member.workflows.reject({ workspaceId, approvalId: rejected.id })).toMatchObject({ status: 'rejected', startedRunId: null, toolResult: null });
    expect(await runtime.db.prisma.workflowRun.count({ where: { workspaceId } })).toBe(runsBefore);
    const approved = await proposal('churn-save');
    const decided = await member.workflows.approve({ workspaceId, approvalId: approved.id });
    const run = await viewer.workflows.run({ workspaceId, runId: decided.startedRunId! });
    expect(run).toMatchObject({ workflowId: workflowIdOf['churn-save'], createdById: memberUser.userId });
    await member.workflows.cancel({ workspaceId, runId: run.id });
  });
});
