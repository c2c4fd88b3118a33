import { AppError } from '../errors';
import type { WorkflowDefinition } from './definition';
import { now, type EngineContext } from './engine-context';
import type { WorkflowRecord } from './ports';
import { syncSchedules } from './schedules';
import { validateWorkflowDefinition } from './validation';

export interface CreateWorkflowInput {
  workspaceId: string;
  key: string;
  name: string;
  description?: string;
  /** Only reversible workflows may run in auto mode. */
  reversible?: boolean;
  /** A WorkflowDefinitionInput; validated here, so any JSON is accepted. */
  definition: unknown;
  createdById?: string | null;
}

export interface UpdateWorkflowInput {
  workspaceId: string;
  workflowId: string;
  name?: string;
  description?: string;
  reversible?: boolean;
  enabled?: boolean;
  /** A new definition becomes version currentVersion + 1; running runs keep theirs. */
  definition?: unknown;
  updatedById?: string | null;
}

export interface WorkflowWithDefinition {
  workflow: WorkflowRecord;
  definition: WorkflowDefinition;
}

async function validate(context: EngineContext, workspaceId: string, definition: unknown): Promise<WorkflowDefinition> {
  const knownTools = (await context.deps.toolCatalog?.listToolNames(workspaceId)) ?? [];
  return validateWorkflowDefinition(definition, { knownTools });
}

export async function createWorkflow(context: EngineContext, input: CreateWorkflowInput): Promise<WorkflowWithDefinition> {
  const definition = await validate(context, input.workspaceId, input.definition);
  const workflow = await context.deps.store.createWorkflow({
    id: context.deps.ids.next('workflow'), versionId: context.deps.ids.next('workflow-version'), workspaceId: input.workspaceId,
    key: input.key, name: input.name, description: input.description ?? '', reversible: input.reversible ?? false, definition,
    createdById: input.createdById ?? null, now: now(context),
  });
  await syncSchedules(context, workflow, definition);
  return { workflow, definition };
}

export async function updateWorkflow(context: EngineContext, input: UpdateWorkflowInput): Promise<WorkflowWithDefinition> {
  const definition = input.definition === undefined ? undefined : await validate(context, input.workspaceId, input.definition);
  const workflow = await context.deps.store.updateWorkflow({
    workspaceId: input.workspaceId, workflowId: input.workflowId, versionId: context.deps.ids.next('workflow-version'),
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(input.description === undefined ? {} : { description: input.description }),
    ...(input.reversible === undefined ? {} : { reversible: input.reversible }),
    ...(input.enabled === undefined ? {} : { enabled: input.enabled }),
    ...(definition ? { definition } : {}),
    createdById: input.updatedById ?? null, now: now(context),
  });
  const current = definition ?? (await getWorkflow(context, input.workspaceId, workflow.id)).definition;
  await syncSchedules(context, workflow, workflow.enabled ? current : { nodes: current.nodes.filter((node) => node.kind !== 'trigger'), edges: [] });
  return { workflow, definition: current };
}

export async function getWorkflow(context: EngineContext, workspaceId: string, workflowId: string): Promise<WorkflowWithDefinition> {
  const workflow = await context.deps.store.findWorkflow(workspaceId, workflowId);
  if (!workflow) throw new AppError('NOT_FOUND', `Workflow ${workflowId} not found`);
  const version = await context.deps.store.findWorkflowVersion(workflow.id, workflow.currentVersion);
  if (!version) throw new AppError('NOT_FOUND', `Workflow ${workflowId} version ${workflow.currentVersion} not found`);
  return { workflow, definition: version.definition };
}
