/**
 * Object-level authorization (OWASP API1) over EVERY procedure of appRouter.
 * A member of workspace A calls each procedure with workspace B's ids (and
 * with A's workspace id but B's object ids); each call must fail with
 * NOT_FOUND or FORBIDDEN and nothing in the database may change. A new
 * procedure is covered automatically when its input can be built from B's
 * ids; otherwise this test fails until it gets an entry in `fixtures` (or, if
 * it takes no workspace at all, in `unscopedProcedures` with the reason).
 */
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { asKey, asUser, createOAuthTestCaller, createTestCaller, issueOAuthTestTokens, signUpTestUser } from './auth/testing';
import { appRouter } from './router';
import { createRuntime, type Runtime } from './runtime';
import { silentLogger } from '@opspilot/core/ports';

type Ids = Record<string, string>;

/** Procedures that take no workspace: why each is safe, checked by its own tests. */
const unscopedProcedures: Record<string, string> = {
  'system.health': 'public liveness, no workspace data',
  'auth.signIn': 'credentials only; auth.test.ts',
  'auth.signOut': 'ends the caller’s own session; auth.test.ts',
  'auth.me': 'describes the caller only',
  'workspace.list': 'lists the caller’s memberships; asserted below not to contain B',
  'workspace.create': 'creates a new workspace owned by the caller',
  'invitation.accept': 'the token names the workspace and must match the caller’s email; roles-and-keys.test.ts',
  'invitation.preview': 'public: the token names one invitation, and only its workspace name, inviter, role, masked email and state are shown; invitation-preview.test.ts',
};

/**
 * Inputs the schema walk cannot invent (free text, enums, nested objects).
 * Object ids come from `ids` (B's rows); the walk fills `workspaceId` and any
 * `<thing>Id` it can map to a table.
 */
const fixtures: Record<string, (ids: Ids) => Record<string, unknown>> = {
  'member.changeRole': () => ({ role: 'viewer' }),
  'invitation.create': () => ({ email: 'intruder@example.com', role: 'admin' }),
  'apiKey.create': () => ({ name: 'intruder', scopes: ['admin'] }),
  'signals.ingest': () => ({
    events: [{ id: 'intruder-1', type: 'user.signed_up', source: 'intruder', occurredAt: '2026-01-01T00:00:00Z' }],
  }),
  'signals.metrics': () => ({ metric: 'mrr', from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' }),
  'chat.send': () => ({ message: 'Show me everything in this workspace.' }),
  'agents.update': () => ({ enabled: false, instructions: 'Leak everything.' }),
  'agents.setModelSettings': () => ({ model: 'openai:gpt-4o-mini' }),
  'tools.invoke': () => ({ tool: 'stripe__list_customers', args: {} }),
  'tools.setEnabled': () => ({ tool: 'stripe__list_customers', enabled: false }),
  'integrations.create': () => ({ provider: 'stripe', mode: 'sandbox', credentials: { secretKey: 'sk_test_intruder' } }),
  'mcpServers.create': () => ({ name: 'intruder', url: 'https://example.com/mcp' }),
  'ui.get': () => ({ context: 'main_dashboard' }),
  'ui.regenerate': () => ({ context: 'main_dashboard' }),
  'ui.history': () => ({ context: 'main_dashboard' }),
  'ui.onPatch': () => ({ context: 'main_dashboard' }),
  'ui.rollback': () => ({ context: 'main_dashboard', version: 1 }),
  'ui.patch': () => ({ context: 'main_dashboard', patch: [{ op: 'remove', path: '/elements/0' }] }),
  'ui.request': () => ({ context: 'main_dashboard', request: 'Add a chart of every customer' }),
  'ui.panelData': () => ({ query: { kind: 'cohort', months: 6 } }),
  'workflows.create': () => ({
    key: 'intruder', name: 'Intruder',
    definition: { nodes: [{ id: 'start', kind: 'trigger', trigger: { type: 'manual' } }, { id: 'leak', kind: 'action', tool: 'notify', input: { message: 'x' } }], edges: [{ from: 'start', to: 'leak' }] },
  }),
  'workflows.update': () => ({ name: 'Pwned', enabled: false }),
  'workflows.createPolicy': () => ({ name: 'intruder', match: {}, mode: 'auto' }),
  'workflows.updatePolicy': () => ({ mode: 'auto', minConfidence: 0 }),
  'workflows.setKillSwitch': () => ({ enabled: true }),
  'workflows.approve': () => ({ note: 'intruder' }),
};

/**
 * Rows B must have so object ids exist: created through B's owner with the
 * domains' own procedures where one exists (tolerant of a domain not being
 * registered yet), else inserted directly.
 */
async function populateWorkspace(runtime: Runtime, ownerCaller: unknown, workspaceId: string): Promise<void> {
  const creations: [string, Record<string, unknown>][] = [
    ['agents.list', { workspaceId }],
    ['chat.createSession', { workspaceId, title: 'B private chat' }],
  ];
  for (const [path, input] of creations) {
    if (path in appRouter._def.procedures) await callPath(ownerCaller, path, input);
  }
  // Sandbox connectors (the demo boot installs B's already) and one external MCP server row.
  await runtime.gateway.installSandboxConnectors(workspaceId);
  await runtime.db.prisma.mcpServer.create({ data: { workspaceId, name: 'private-server', url: 'https://mcp.example.com/mcp', disabledTools: [] } });
  // A workflow run waiting at its approval (the demo workspace has the workflows), so run, step and approval ids exist.
  const workflows = await runtime.workflows.listWorkflows(workspaceId);
  const waitsForApproval = workflows.find((workflow) => workflow.key === 'failed-payment-follow-up');
  if (waitsForApproval) {
    await callPath(ownerCaller, 'workflows.start', { workspaceId, workflowId: waitsForApproval.id });
    await runtime.workflows.drain('authorization-matrix');
  }
  const now = new Date();
  await runtime.db.prisma.incident.create({
    data: { workspaceId, title: 'B private incident', severity: 'critical', metrics: ['mrr'], startedAt: now, lastSeenAt: now },
  });
}

/** `<key>Id` input names whose table is not simply the capitalised key. */
const tableForIdKey: Record<string, string> = {
  memberId: 'Membership',
  sessionId: 'ChatSession',
  runId: 'WorkflowRun',
  stepId: 'WorkflowStep',
  policyId: 'RemediationPolicy',
  grantId: 'OAuthGrant',
};

function tableFor(key: string): string {
  return tableForIdKey[key] ?? `${key[0]?.toUpperCase() ?? ''}${key.slice(1, -2)}`;
}

function inputKeys(parsers: unknown[]): string[] {
  return parsers.flatMap((parser) => (parser instanceof z.ZodObject ? Object.keys(parser.shape as Record<string, unknown>) : []));
}

interface ProcedureInfo {
  path: string;
  type: string;
  parsers: unknown[];
}

function listProcedures(): ProcedureInfo[] {
  return Object.entries(appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: unknown[] } }>).map(
    ([path, procedure]) => ({ path, type: procedure._def.type, parsers: procedure._def.inputs }),
  );
}

/** The first row id of every table with a "workspaceId" column, for one workspace. */
async function collectIds(runtime: Runtime, workspaceId: string): Promise<Ids> {
  const tables = await runtime.db.query<{ table_name: string }>(
    `SELECT w.table_name FROM information_schema.columns w
       JOIN information_schema.columns i ON i.table_schema = w.table_schema AND i.table_name = w.table_name AND i.column_name = 'id'
      WHERE w.table_schema = 'public' AND w.column_name = 'workspaceId'`,
  );
  const ids: Ids = {};
  for (const { table_name: table } of tables) {
    const rows = await runtime.db.query<{ id: string }>(`SELECT "id" FROM "${table}" WHERE "workspaceId" = $1 LIMIT 1`, [workspaceId]);
    if (rows[0]) ids[table] = rows[0].id;
  }
  return ids;
}

/** One digest per table, so "nothing was written" is checked over the whole database. */
async function snapshot(runtime: Runtime): Promise<Record<string, string>> {
  const tables = await runtime.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
       AND table_name NOT IN ('_prisma_migrations', 'session', 'RateLimitBucket')`,
  );
  const digests: Record<string, string> = {};
  for (const { table_name: table } of tables) {
    const rows = await runtime.db.query<{ digest: string }>(
      `SELECT md5(COALESCE(string_agg(row_to_json(t)::text, '|' ORDER BY row_to_json(t)::text), '')) AS digest FROM "${table}" t`,
    );
    digests[table] = rows[0]?.digest ?? '';
  }
  return digests;
}

type Attempt = { path: string; input: Record<string, unknown> };

/** Inputs aimed at B: B's workspace id, and A's workspace id with B's object ids. */
function buildAttempts(procedure: ProcedureInfo, idsA: Ids, idsB: Ids, workspaceA: string, workspaceB: string): Attempt[] | string {
  const keys = inputKeys(procedure.parsers);
  const objectKeys = keys.filter((key) => key !== 'workspaceId' && key.endsWith('Id'));
  const objectIds: Record<string, unknown> = {};
  for (const key of objectKeys) {
    const id = idsB[tableFor(key)];
    if (id) objectIds[key] = id;
  }
  const extra = fixtures[procedure.path]?.(idsB) ?? {};
  const towardB = { ...extra, ...objectIds, workspaceId: workspaceB };
  const valid = procedure.parsers.every((parser) => (parser as z.ZodType).safeParse(towardB).success);
  if (!valid) {
    const issues = procedure.parsers.flatMap((parser) => (parser as z.ZodType).safeParse(towardB).error?.issues ?? []);
    const detail = issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    return `cannot build a valid input for ${procedure.path} (${detail}): add it to \`fixtures\` in authorization.test.ts`;
  }
  const attempts: Attempt[] = [{ path: procedure.path, input: towardB }];
  if (Object.keys(objectIds).length > 0) attempts.push({ path: procedure.path, input: { ...towardB, workspaceId: workspaceA } });
  void idsA;
  return attempts;
}

async function callPath(caller: unknown, path: string, input: unknown): Promise<unknown> {
  const procedure = path.split('.').reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], caller);
  return (procedure as (input: unknown, options?: { signal: AbortSignal }) => Promise<unknown>)(input);
}

const subscriptionGraceMs = 3_000;

/**
 * A subscription's checks may run when it is first pulled, not when it is
 * called: pull once. Yielding anything, or staying open instead of failing,
 * counts as reaching B's data.
 */
async function callAndPull(caller: unknown, path: string, input: unknown): Promise<string> {
  const controller = new AbortController();
  const procedure = path.split('.').reduce<unknown>((node, segment) => (node as Record<string, unknown>)[segment], caller);
  try {
    const result = await (procedure as (input: unknown, options: { signal: AbortSignal }) => Promise<unknown>)(input, { signal: controller.signal });
    if (!result || typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function') return 'succeeded';
    const iterator = (result as AsyncIterable<unknown>)[Symbol.asyncIterator]();
    let timer: NodeJS.Timeout | undefined;
    const stillOpen = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve('subscription stayed open'), subscriptionGraceMs);
    });
    const outcome = await Promise.race([iterator.next().then(() => 'subscription yielded'), stillOpen]);
    clearTimeout(timer);
    controller.abort();
    await iterator.return?.().catch(() => undefined);
    return outcome;
  } catch (error) {
    controller.abort();
    return error instanceof TRPCError ? error.code : `threw ${String(error)}`;
  }
}

describe('cross-workspace authorization over every procedure', () => {
  let runtime: Runtime;
  let workspaceA: string;
  let workspaceB: string;
  let idsA: Ids;
  let idsB: Ids;
  let callers: { label: string; caller: unknown }[];

  beforeAll(async () => {
    // The demo seed (when present) gives workspace B rows in every domain's tables.
    runtime = await createRuntime({
      env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' },
      logger: silentLogger,
      printDemoCredentials: false,
      limits: { perPrincipalPerMinute: 1_000_000, perIpPerMinute: 1_000_000 },
    });
    const alice = await signUpTestUser(runtime, 'Alice');
    const bob = await signUpTestUser(runtime, 'Bob');
    const carol = await signUpTestUser(runtime, 'Carol');
    const aliceCaller = await createTestCaller(runtime, asUser(alice));
    const bobCaller = await createTestCaller(runtime, asUser(bob));
    workspaceA = (await aliceCaller.workspace.create({ name: 'A' })).id;
    const demo = await runtime.db.prisma.workspace.findFirst({ where: { isDemo: true } });
    workspaceB = demo?.id ?? (await bobCaller.workspace.create({ name: 'B' })).id;
    if (demo) await runtime.db.prisma.membership.create({ data: { workspaceId: demo.id, userId: bob.userId, role: 'owner' } });
    // Give B (and A) one row of each auth object, so their ids are in play.
    for (const [caller, workspaceId] of [[bobCaller, workspaceB], [aliceCaller, workspaceA]] as const) {
      const { token } = await caller.invitation.create({ workspaceId, email: carol.email, role: 'member' });
      await (await createTestCaller(runtime, asUser(carol))).invitation.accept({ token });
      await caller.invitation.create({ workspaceId, email: 'pending@example.com', role: 'viewer' });
      await caller.apiKey.create({ workspaceId, name: 'existing', scopes: ['read'] });
    }
    // A connected app (OAuth grant) in B, so oauthApps.revoke is tried with B's grant id.
    await issueOAuthTestTokens(runtime, { userId: bob.userId, workspaceId: workspaceB, scopes: ['read'], resource: 'http://localhost/mcp' });
    // A too: lazily created defaults (agents) must exist before the snapshot, or the first refused call creates them.
    await populateWorkspace(runtime, bobCaller, workspaceB);
    await populateWorkspace(runtime, aliceCaller, workspaceA);
    const aliceKey = await aliceCaller.apiKey.create({ workspaceId: workspaceA, name: 'admin key', scopes: ['read', 'write', 'admin'] });
    idsA = await collectIds(runtime, workspaceA);
    idsB = await collectIds(runtime, workspaceB);
    // Carol is in both workspaces; her membership in B is the member id used against B.
    const carolInB = await runtime.db.prisma.membership.findFirstOrThrow({ where: { workspaceId: workspaceB, userId: carol.userId } });
    idsB.Membership = carolInB.id;
    callers = [
      { label: 'owner of A (session)', caller: await createTestCaller(runtime, asUser(alice)) },
      { label: 'admin key of A', caller: await createTestCaller(runtime, asKey(aliceKey.secret)) },
      { label: 'OAuth grant of A (read write)', caller: await createOAuthTestCaller(runtime, { userId: alice.userId, workspaceId: workspaceA, scopes: ['read', 'write'] }) },
    ];
  }, 300_000);
  afterAll(async () => {
    await runtime.close();
  });

  it('classifies every procedure as workspace-scoped or explicitly unscoped', () => {
    const problems = listProcedures()
      .filter((procedure) => !inputKeys(procedure.parsers).includes('workspaceId') && !(procedure.path in unscopedProcedures))
      .map((procedure) => `${procedure.path} takes no workspaceId: scope it with workspaceProcedure or list it in unscopedProcedures`);
    expect(problems).toEqual([]);
    for (const path of Object.keys(unscopedProcedures)) expect(appRouter._def.procedures).toHaveProperty([path]);
  });

  it("refuses every workspace-scoped procedure on B's ids with NOT_FOUND/FORBIDDEN and writes nothing", async () => {
    const scoped = listProcedures().filter((procedure) => inputKeys(procedure.parsers).includes('workspaceId'));
    expect(scoped.length).toBeGreaterThan(5);
    const missing: string[] = [];
    const leaks: string[] = [];
    const before = await snapshot(runtime);
    for (const procedure of scoped) {
      const attempts = buildAttempts(procedure, idsA, idsB, workspaceA, workspaceB);
      if (typeof attempts === 'string') {
        missing.push(attempts);
        continue;
      }
      for (const { label, caller } of callers) {
        for (const attempt of attempts) {
          const outcome = await callAndPull(caller, attempt.path, attempt.input);
          if (outcome !== 'NOT_FOUND' && outcome !== 'FORBIDDEN') {
            leaks.push(`${label}: ${attempt.path}(${JSON.stringify(attempt.input)}) -> ${outcome}`);
          }
        }
      }
    }
    const after = await snapshot(runtime);
    const changedTables = Object.keys(after).filter((table) => after[table] !== before[table]);
    expect(missing).toEqual([]);
    expect(leaks).toEqual([]);
    expect(changedTables).toEqual([]);
    expect(idsB.Membership).toBeDefined();
    expect(idsB.ApiKey).toBeDefined();
    expect(idsB.Invitation).toBeDefined();
    expect(idsB.OAuthGrant).toBeDefined();
  }, 180_000);

  it("never lists B among A's workspaces", async () => {
    for (const { caller } of callers) {
      const list = (await callPath(caller, 'workspace.list', undefined)) as { id: string }[];
      expect(list.map((workspace) => workspace.id)).not.toContain(workspaceB);
    }
  });
});
