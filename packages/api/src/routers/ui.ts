import { tracked } from '@trpc/server';
import { z } from 'zod';
import {
  applyDashboardRequest, createExperiencePort, DataQuery, listUiSchemaHistory, patchUiSchema, readUiSchema, regenerateUiSchema, rollbackUiSchema, uiTopic,
  UiSpec, type ExperienceDeps, type UiSchemaVersion, type UiVersionNotification,
} from '@opspilot/core/experience';
import { createCapabilitiesPort, createUiSchemaStore } from '@opspilot/db';
import { workspaceProcedure } from '../procedures';
import type { Runtime } from '../runtime';
import { router } from '../trpc';
import { resolvePanelData } from './ui-panel-data';

const depsByRuntime = new WeakMap<Runtime, ExperienceDeps>();

/** The experience service's deps for a runtime, built once. */
export function experienceDepsOf(runtime: Runtime): ExperienceDeps {
  let deps = depsByRuntime.get(runtime);
  if (!deps) {
    deps = { store: createUiSchemaStore(runtime.db), capabilities: createCapabilitiesPort(runtime.db, runtime.clock), clock: runtime.clock, eventBus: runtime.eventBus, logger: runtime.logger };
    depsByRuntime.set(runtime, deps);
  }
  return deps;
}

/** The agents' ExperiencePort for a runtime: validated patches, refusals as `{applied: false, error}`. */
export function experiencePortOf(runtime: Runtime) {
  return createExperiencePort(experienceDepsOf(runtime));
}

const Context = z.string().min(1).max(80);
const SchemaOutput = z.object({
  context: z.string(), version: z.number().int(), source: z.string(), note: z.string(), createdById: z.string().nullable(), createdAt: z.string(), spec: UiSpec,
});
const toOutput = (schema: UiSchemaVersion): z.infer<typeof SchemaOutput> => ({
  context: schema.context, version: schema.version, source: schema.source, note: schema.note, createdById: schema.createdById, createdAt: schema.createdAt.toISOString(), spec: schema.spec,
});
const PatchOperation = z.object({ op: z.enum(['add', 'remove', 'replace', 'move', 'copy', 'test']), path: z.string().max(512), from: z.string().max(512).optional(), value: z.unknown().optional() });
const path = (suffix = ''): `/${string}` => `/v1/workspaces/{workspaceId}/ui/{context}${suffix}`;
const access = (ctx: { access: { workspaceId: string; actorId: string } }, context: string) => ({ workspaceId: ctx.access.workspaceId, context, actorId: ctx.access.actorId });

/**
 * The generated UI: one versioned spec per workspace and context. Reads
 * generate version 1 when none exists; every regeneration, patch and
 * rollback is a new version; an invalid patch is a 400 and stores nothing.
 */
export const uiRouter = router({
  get: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: path(), summary: 'The latest UI spec of a context (generated on first read)', tags: ['ui'], protect: true } })
    .input(z.object({ context: Context }))
    .output(SchemaOutput)
    .query(async ({ ctx, input }) => toOutput(await readUiSchema(experienceDepsOf(ctx.runtime), access(ctx, input.context)))),

  regenerate: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: path('/regenerate'), summary: 'Regenerate a context from the workspace data (new version)', tags: ['ui'], protect: true } })
    .input(z.object({ context: Context }))
    .output(SchemaOutput)
    .mutation(async ({ ctx, input }) => toOutput(await regenerateUiSchema(experienceDepsOf(ctx.runtime), access(ctx, input.context)))),

  history: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: path('/history'), summary: 'Versions of a context, newest first', tags: ['ui'], protect: true } })
    .input(z.object({ context: Context, limit: z.coerce.number().int().min(1).max(100).default(20) }))
    .output(z.array(SchemaOutput.omit({ spec: true }).extend({ panels: z.number().int() })))
    .query(async ({ ctx, input }) => {
      const versions = await listUiSchemaHistory(experienceDepsOf(ctx.runtime), { ...access(ctx, input.context), limit: input.limit });
      return versions.map((version) => {
        const { spec, ...rest } = toOutput(version);
        return { ...rest, panels: Object.values(spec.elements).filter((element) => element.type !== 'section').length };
      });
    }),

  rollback: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: path('/rollback'), summary: 'Store a new version copying an older one', tags: ['ui'], protect: true } })
    .input(z.object({ context: Context, version: z.coerce.number().int().min(1) }))
    .output(SchemaOutput)
    .mutation(async ({ ctx, input }) => toOutput(await rollbackUiSchema(experienceDepsOf(ctx.runtime), { ...access(ctx, input.context), version: input.version }))),

  patch: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: path('/patch'), summary: 'Apply an RFC 6902 patch (validated; refused patches store nothing)', tags: ['ui'], protect: true } })
    .input(z.object({ context: Context, patch: z.array(PatchOperation).min(1).max(200), baseVersion: z.number().int().min(1).optional() }))
    .output(SchemaOutput)
    .mutation(async ({ ctx, input }) => toOutput(await patchUiSchema(experienceDepsOf(ctx.runtime), { ...access(ctx, input.context), patch: input.patch, ...(input.baseVersion ? { baseVersion: input.baseVersion } : {}) }))),

  request: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: path('/request'), summary: 'Change the layout from a plain-language request ("add an MRR chart")', tags: ['ui'], protect: true } })
    .input(z.object({ context: Context, request: z.string().trim().min(3).max(500) }))
    .output(z.object({ summary: z.string(), elementIds: z.array(z.string()), schema: SchemaOutput }))
    .mutation(async ({ ctx, input }) => {
      const { change, schema } = await applyDashboardRequest(experienceDepsOf(ctx.runtime), { ...access(ctx, input.context), request: input.request });
      return { summary: change.summary, elementIds: change.elementIds, schema: toOutput(schema) };
    }),

  /** A panel's data, resolved from its declared query (never stored in the spec). */
  panelData: workspaceProcedure('viewer')
    .input(z.object({ query: DataQuery }))
    .query(({ ctx, input }) => resolvePanelData(ctx.runtime, ctx.access.workspaceId, input.query)),

  /** New versions of a context as they are stored (ids are version numbers); clients re-read with `ui.get`. */
  onPatch: workspaceProcedure('viewer')
    .input(z.object({ context: Context, lastEventId: z.string().max(16).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const queue: UiVersionNotification[] = [];
      let wake: (() => void) | null = null;
      const unsubscribe = await ctx.runtime.eventBus.subscribe(uiTopic(ctx.access.workspaceId), (payload) => {
        const notification = payload as Partial<UiVersionNotification> | null;
        if (notification?.type !== 'ui-version' || notification.context !== input.context) return;
        queue.push(notification as UiVersionNotification);
        wake?.();
      });
      try {
        const latest = await readUiSchema(experienceDepsOf(ctx.runtime), access(ctx, input.context));
        let lastVersion = Number(input.lastEventId ?? 0);
        if (latest.version > lastVersion) {
          lastVersion = latest.version;
          yield tracked(String(latest.version), { context: input.context, version: latest.version, source: latest.source });
        }
        while (!signal?.aborted) {
          const next = queue.shift();
          if (!next) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              signal?.addEventListener('abort', () => resolve(), { once: true });
            });
            wake = null;
            continue;
          }
          if (next.version <= lastVersion) continue;
          lastVersion = next.version;
          yield tracked(String(next.version), { context: next.context, version: next.version, source: next.source });
        }
      } finally {
        await unsubscribe();
      }
    }),
});
