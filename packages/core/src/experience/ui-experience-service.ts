import { AppError, isAppError } from '../errors';
import type { WorkspaceCapabilities } from './capabilities';
import { planDashboardPatch, type DashboardChange } from './dashboard-request';
import { generateUiSpec, UiContextPattern } from './generator';
import { applyJsonPatch, JsonPatch } from './json-patch';
import type { ExperienceDeps, StoredUiSchema, UiSchemaSource } from './ports';
import { UiSpec } from './spec';

/** A stored version with its spec parsed. */
export interface UiSchemaVersion extends Omit<StoredUiSchema, 'spec'> {
  spec: UiSpec;
}

/** Live notifications on the bus: subscribers re-read the stored version. */
export interface UiVersionNotification {
  type: 'ui-version';
  context: string;
  version: number;
  source: UiSchemaSource;
}

/** EventBus topic of a workspace's UI schema changes. */
export function uiTopic(workspaceId: string): string {
  return `ui:${workspaceId}`;
}

/** Refuses context names that are not `main_dashboard`, `revenue`, `reliability`, `incident:<id>` or a lower-case custom name. */
export function assertUiContext(context: string): void {
  if (!UiContextPattern.test(context)) {
    throw new AppError('BAD_REQUEST', `"${context}" is not a UI context: use main_dashboard, revenue, reliability, incident:<id> or a lower-case name.`);
  }
}

function parseStored(stored: StoredUiSchema): UiSchemaVersion {
  const parsed = UiSpec.safeParse(stored.spec);
  if (!parsed.success) throw new AppError('INTERNAL', `Stored UI schema ${stored.context} v${stored.version} is not a valid spec.`);
  return { ...stored, spec: parsed.data };
}

interface AppendInput {
  workspaceId: string;
  context: string;
  spec: UiSpec;
  source: UiSchemaSource;
  note: string;
  actorId: string | null;
}

/** Stores `spec` as the next version; a concurrent writer that took the number first gets CONFLICT. */
async function appendNext(deps: ExperienceDeps, input: AppendInput, previous: number): Promise<UiSchemaVersion> {
  const stored = await deps.store.appendVersion(
    { workspaceId: input.workspaceId, context: input.context, version: previous + 1, spec: input.spec, source: input.source, note: input.note, createdById: input.actorId },
    deps.clock.now(),
  );
  const notification: UiVersionNotification = { type: 'ui-version', context: input.context, version: stored.version, source: input.source };
  await deps.eventBus?.publish(uiTopic(input.workspaceId), notification).catch((error: unknown) => deps.logger?.warn('ui notification failed', { error: String(error) }));
  return parseStored(stored);
}

export interface UiContextInput {
  workspaceId: string;
  context: string;
  actorId?: string | null;
}

/** The latest version of a context; the first read generates version 1. */
export async function readUiSchema(deps: ExperienceDeps, input: UiContextInput): Promise<UiSchemaVersion> {
  assertUiContext(input.context);
  const latest = await deps.store.findLatest(input.workspaceId, input.context);
  if (latest) return parseStored(latest);
  try {
    return await regenerateUiSchema(deps, input);
  } catch (error) {
    // Two first reads at once: the loser reads what the winner stored.
    const stored = isAppError(error) && error.code === 'CONFLICT' ? await deps.store.findLatest(input.workspaceId, input.context) : null;
    if (stored) return parseStored(stored);
    throw error;
  }
}

/** Runs the ui-designer on the workspace's current capabilities and stores the result as a new version. */
export async function regenerateUiSchema(deps: ExperienceDeps, input: UiContextInput): Promise<UiSchemaVersion> {
  assertUiContext(input.context);
  const capabilities = await deps.capabilities.readCapabilities(input.workspaceId);
  const spec = generateUiSpec(input.context, capabilities);
  const latest = await deps.store.findLatest(input.workspaceId, input.context);
  return appendNext(deps, { ...input, spec, source: 'generated', note: 'Generated from the workspace data', actorId: input.actorId ?? null }, latest?.version ?? 0);
}

/** Versions of a context, newest first. */
export async function listUiSchemaHistory(deps: ExperienceDeps, input: UiContextInput & { limit?: number }): Promise<UiSchemaVersion[]> {
  assertUiContext(input.context);
  const rows = await deps.store.listVersions(input.workspaceId, input.context, input.limit ?? 50);
  return rows.map(parseStored);
}

/** Rollback never rewrites history: it stores a new version that copies `version`'s spec. */
export async function rollbackUiSchema(deps: ExperienceDeps, input: UiContextInput & { version: number }): Promise<UiSchemaVersion> {
  assertUiContext(input.context);
  const target = await deps.store.findVersion(input.workspaceId, input.context, input.version);
  if (!target) throw new AppError('NOT_FOUND', `UI schema ${input.context} version ${input.version} not found.`);
  const latest = await deps.store.findLatest(input.workspaceId, input.context);
  const spec = parseStored(target).spec;
  return appendNext(deps, { ...input, spec, source: 'rollback', note: `Rolled back to version ${input.version}`, actorId: input.actorId ?? null }, latest?.version ?? 0);
}

export interface PatchUiInput extends UiContextInput {
  /** RFC 6902 operations; parsed here, so callers may pass loosely typed ones. */
  patch: readonly unknown[];
  /** Refuse (CONFLICT) when the latest version is not this one. */
  baseVersion?: number;
  note?: string;
}

/**
 * Applies an RFC 6902 patch to the latest version and stores the result as a
 * new version. The result must be a valid spec; otherwise BAD_REQUEST naming
 * the failing operation (or the spec path) and nothing is stored.
 */
export async function patchUiSchema(deps: ExperienceDeps, input: PatchUiInput): Promise<UiSchemaVersion> {
  const operations = JsonPatch.safeParse(input.patch);
  if (!operations.success) throw new AppError('BAD_REQUEST', `Invalid patch: ${operations.error.issues[0]?.message ?? 'malformed'}`);
  const current = await readUiSchema(deps, input);
  if (input.baseVersion !== undefined && input.baseVersion !== current.version) {
    throw new AppError('CONFLICT', `UI schema ${input.context} is at version ${current.version}, not ${input.baseVersion}.`);
  }
  const checked = UiSpec.safeParse(applyJsonPatch(current.spec, operations.data));
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue ? `/${issue.path.map(String).join('/')}` : '/';
    const first = operations.data[0];
    throw new AppError('BAD_REQUEST', `Patch (${first ? `${first.op} ${first.path}` : 'empty'}${operations.data.length > 1 ? ` and ${operations.data.length - 1} more` : ''}) gives an invalid spec at ${where}: ${issue?.message ?? 'invalid'}`, {
      issues: checked.error.issues.map((problem) => ({ path: `/${problem.path.map(String).join('/')}`, message: problem.message })),
    });
  }
  return appendNext(deps, { ...input, spec: checked.data, source: 'patch', note: input.note ?? 'Patched', actorId: input.actorId ?? null }, current.version);
}

/**
 * Plans a plain-language dashboard request against the latest spec of
 * `context` and applies it as a new version (see `planDashboardPatch`).
 */
export async function applyDashboardRequest(deps: ExperienceDeps, input: UiContextInput & { request: string }): Promise<{ change: DashboardChange; schema: UiSchemaVersion }> {
  const current = await readUiSchema(deps, input);
  const capabilities: WorkspaceCapabilities = await deps.capabilities.readCapabilities(input.workspaceId);
  const change = planDashboardPatch(current.spec, input.request, capabilities);
  const schema = await patchUiSchema(deps, { ...input, patch: change.patch, baseVersion: current.version, note: input.request.slice(0, 200) });
  return { change, schema };
}

/**
 * The shape the agents' `ExperiencePort` expects: never throws for a refused
 * patch, answers `{applied: false, error}` instead so the chat can say why.
 */
export function createExperiencePort(deps: ExperienceDeps) {
  return {
    async applyPatch(input: { workspaceId: string; context: string; patch: readonly unknown[]; actorId: string | null }) {
      try {
        const schema = await patchUiSchema(deps, input);
        return { applied: true, version: schema.version };
      } catch (error) {
        if (!isAppError(error) || error.code === 'INTERNAL') throw error;
        return { applied: false, version: null, error: error.message };
      }
    },
  };
}
