import { z } from 'zod';
import {
  createGatewayToolPort,
  createModelResolver,
  describeStoredCredentials,
  listAgents,
  ModelCredentialsInput,
  openModelCredentials,
  parseModelSpec,
  sealModelCredentials,
  updateAgent,
  UpdateAgentFields,
  type AgentDeps,
  type GatewayLike,
  type ModelCredentials,
} from '@opspilot/core/agents';
import { createSecretBox, type SecretBox } from '@opspilot/core/integrations';
import { applyDashboardRequest, createExperiencePort } from '@opspilot/core/experience';
import { isAppError } from '@opspilot/core/errors';
import {
  createAgentApprovals,
  createAgentBusinessData,
  createAgentRepository,
  createChatRepository,
  readWorkspaceAiSettings,
  writeWorkspaceAiSettings,
} from '@opspilot/db';
import { resolveSecretKey } from '../integrations-runtime';
import { workspaceProcedure } from '../procedures';
import type { Runtime } from '../runtime';
import { router } from '../trpc';
import { experienceDepsOf } from './ui';
import { describeChatToolResult } from '../mcp';

/** Provider keys from the environment; a workspace's own keys come from its settings. */
function readModelCredentials(env: NodeJS.ProcessEnv): ModelCredentials {
  const credentials: ModelCredentials = {};
  if (env.OPENAI_API_KEY) credentials.openaiApiKey = env.OPENAI_API_KEY;
  if (env.OPENAI_BASE_URL) credentials.openaiBaseUrl = env.OPENAI_BASE_URL;
  if (env.ANTHROPIC_API_KEY) credentials.anthropicApiKey = env.ANTHROPIC_API_KEY;
  if (env.GOOGLE_GENERATIVE_AI_API_KEY) credentials.googleApiKey = env.GOOGLE_GENERATIVE_AI_API_KEY;
  if (env.AWS_REGION) {
    credentials.bedrock = {
      region: env.AWS_REGION,
      ...(env.AWS_ACCESS_KEY_ID ? { accessKeyId: env.AWS_ACCESS_KEY_ID } : {}),
      ...(env.AWS_SECRET_ACCESS_KEY ? { secretAccessKey: env.AWS_SECRET_ACCESS_KEY } : {}),
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
    };
  }
  if (env.OPENAI_COMPATIBLE_BASE_URL) {
    credentials.openaiCompatible = { baseURL: env.OPENAI_COMPATIBLE_BASE_URL, ...(env.OPENAI_COMPATIBLE_API_KEY ? { apiKey: env.OPENAI_COMPATIBLE_API_KEY } : {}) };
  }
  return credentials;
}

/** Optional collaborators the composition root may add (the MCP gateway, the dashboard service). */
export type AgentServiceOverrides = Partial<Pick<AgentDeps, 'tools' | 'experience' | 'models' | 'defaultModel' | 'budgets' | 'approvals'>>;

/** The dashboard service as agents see it: validated patches and plain-language requests; refusals are answers, not throws. */
function createAgentExperience(runtime: Runtime): NonNullable<AgentDeps['experience']> {
  const deps = experienceDepsOf(runtime);
  const port = createExperiencePort(deps);
  return {
    applyPatch: (input) => port.applyPatch(input),
    async applyRequest(input) {
      try {
        const { change, schema } = await applyDashboardRequest(deps, { workspaceId: input.workspaceId, context: input.context, request: input.request });
        return { applied: true, version: schema.version, patch: change.patch.map((operation) => ({ ...operation })), summary: change.summary };
      } catch (error) {
        if (!isAppError(error) || error.code === 'INTERNAL') throw error;
        return { applied: false, version: null, patch: [], summary: '', error: error.message };
      }
    },
  };
}

const depsByRuntime = new WeakMap<Runtime, AgentDeps>();
const boxByRuntime = new WeakMap<Runtime, SecretBox>();

/** The box sealing workspaces' provider keys: the same key as integration credentials (OPSPILOT_SECRET_KEY or the key file). */
function secretBoxFor(runtime: Runtime): SecretBox {
  let box = boxByRuntime.get(runtime);
  if (!box) {
    box = createSecretBox(resolveSecretKey(process.env, runtime.db.config, runtime.logger));
    boxByRuntime.set(runtime, box);
  }
  return box;
}
let idCounter = 0;

/**
 * The agents' dependencies for one runtime, built once. A runtime that
 * carries an MCP gateway (`runtime.gateway`) gives agents its tools.
 */
/** Where chat clients load the Apps widget from: the public URL when configured, else this server. */
function widgetBaseUrl(env: NodeJS.ProcessEnv): string {
  return env.APPS_WIDGET_BASE_URL ?? env.FRONTEND_BASE_URL ?? `http://127.0.0.1:${env.PORT ?? '3000'}`;
}

export function agentDepsFor(runtime: Runtime, overrides: AgentServiceOverrides = {}): AgentDeps {
  const existing = depsByRuntime.get(runtime);
  if (existing && Object.keys(overrides).length === 0) return existing;
  const gateway = (runtime as Runtime & { gateway?: GatewayLike }).gateway;
  const deps: AgentDeps = {
    chats: createChatRepository(runtime.db),
    agents: createAgentRepository(runtime.db),
    data: createAgentBusinessData(runtime.db),
    approvals: createAgentApprovals(runtime.db, runtime.clock),
    models: createModelResolver({
      credentials: readModelCredentials(process.env),
      workspaceCredentials: async (workspaceId) => openModelCredentials(secretBoxFor(runtime), workspaceId, (await readWorkspaceAiSettings(runtime.db, workspaceId)).sealedCredentials),
    }),
    defaultModel: process.env.OPSPILOT_MODEL?.trim() || null,
    bus: runtime.eventBus,
    clock: runtime.clock,
    ids: { next: (prefix = 'id') => `${prefix}_${Date.now().toString(36)}_${(++idCounter).toString(36)}` },
    logger: runtime.logger,
    experience: createAgentExperience(runtime),
    describeUiToolResult: (tool) => describeChatToolResult(tool, widgetBaseUrl(process.env)),
    ...(gateway ? { tools: createGatewayToolPort(gateway) } : {}),
    ...existing,
    ...overrides,
  };
  depsByRuntime.set(runtime, deps);
  return deps;
}

const AgentOutput = z.object({
  id: z.string(),
  kind: z.enum(['planner', 'ops-intelligence', 'ui-designer', 'remediation']),
  name: z.string(),
  description: z.string(),
  instructions: z.string(),
  model: z.string().nullable(),
  allowedTools: z.array(z.string()),
  enabled: z.boolean(),
});

const ModelSettingsOutput = z.object({ model: z.string().nullable(), storedCredentials: z.array(z.string()) });

async function describeModelSettings(runtime: Runtime, workspaceId: string): Promise<z.infer<typeof ModelSettingsOutput>> {
  const settings = await readWorkspaceAiSettings(runtime.db, workspaceId);
  const credentials = openModelCredentials(secretBoxFor(runtime), workspaceId, settings.sealedCredentials);
  return { model: settings.model ?? null, storedCredentials: describeStoredCredentials(credentials) };
}

const toOutput = ({ workspaceId: _workspaceId, ...agent }: z.infer<typeof AgentOutput> & { workspaceId: string }) => agent;

export const agentsRouter = router({
  list: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/agents', summary: "The workspace's agents (defaults created on first use)", protect: true } })
    .output(z.array(AgentOutput))
    .query(async ({ ctx }) => (await listAgents(agentDepsFor(ctx.runtime), ctx.access.workspaceId)).map(toOutput)),
  update: workspaceProcedure('admin')
    .meta({ openapi: { method: 'PATCH', path: '/v1/workspaces/{workspaceId}/agents/{agentId}', summary: 'Change an agent: instructions, model, allowed tools, enabled', protect: true } })
    .input(UpdateAgentFields.extend({ agentId: z.string().min(1).max(64) }))
    .output(AgentOutput)
    .mutation(async ({ ctx, input }) => {
      const { agentId, workspaceId: _workspaceId, ...patch } = input;
      return toOutput(await updateAgent(agentDepsFor(ctx.runtime), { workspaceId: ctx.access.workspaceId, agentId, patch }));
    }),
  modelSettings: workspaceProcedure('admin')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/agents/model-settings', summary: 'The workspace model and which provider keys are stored (never the keys)', protect: true } })
    .output(ModelSettingsOutput)
    .query(async ({ ctx }) => describeModelSettings(ctx.runtime, ctx.access.workspaceId)),
  setModelSettings: workspaceProcedure('admin')
    .meta({ openapi: { method: 'PUT', path: '/v1/workspaces/{workspaceId}/agents/model-settings', summary: 'Set the workspace model and its provider keys (sealed at rest)', protect: true } })
    .input(z.object({ model: z.string().trim().max(200).nullable(), credentials: ModelCredentialsInput.optional() }))
    .output(ModelSettingsOutput)
    .mutation(async ({ ctx, input }) => {
      if (input.model) parseModelSpec(input.model);
      const current = await readWorkspaceAiSettings(ctx.runtime.db, ctx.access.workspaceId);
      const sealedCredentials = input.credentials ? sealModelCredentials(secretBoxFor(ctx.runtime), ctx.access.workspaceId, input.credentials) : current.sealedCredentials;
      await writeWorkspaceAiSettings(ctx.runtime.db, ctx.access.workspaceId, { model: input.model, ...(sealedCredentials ? { sealedCredentials } : {}) });
      return describeModelSettings(ctx.runtime, ctx.access.workspaceId);
    }),
});
