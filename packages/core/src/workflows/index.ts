/**
 * Durable workflow engine: definitions and validation, the engine facade,
 * the worker loop, the store and action ports, remediation policies and the
 * demo workflows.
 */
export {
  WorkflowDefinition, WorkflowNode, WorkflowEdge, TriggerConfig, RetryPolicy, SignalMatch, EdgeLabel, NodeId,
  type WorkflowDefinitionInput, type WorkflowNodeKind, type ActionNode, type ApprovalNode, type TriggerNode,
} from './definition';
export { validateWorkflowDefinition, type ValidateWorkflowOptions } from './validation';
export { parseExpression, type ExpressionNode } from './expression-parser';
export { evaluateExpression, type ExpressionScope } from './expression-evaluator';
export { resolveTemplates } from './template';
export { computeNextRunAt } from './cron';
export { computeBackoffMs } from './retry';
export { planRunAdvance, insertApprovalGate, approvalGateNodeId, type AdvancePlan } from './run-advance';
export {
  NonRetryableError, isRetryableError, internalActionNames, isInternalAction, createInternalActionInvoker, createCompositeActionInvoker,
  createRecordingEffectPort, type ActionInvoker, type ActionRequest, type ActionEffect, type ActionEffectPort, type InternalActionName,
} from './actions';
export type * from './ports';
export { runTopic, workspaceRunsTopic, type WorkflowEngineDeps, type ToolCatalog, type RunEventMessage } from './engine-context';
export { WorkflowEngine, type CreatePolicyInput } from './engine';
export { Worker, type WorkerOptions } from './worker';
export type { StartRunInput } from './run-lifecycle';
export type { ClaimedStep, StepOutcome } from './step-runner';
export type { DecideApprovalInput } from './approvals';
export { matchesPolicy, type RemediationSignal, type RemediationDecision } from './remediation';
export type { CreateWorkflowInput, UpdateWorkflowInput, WorkflowWithDefinition } from './workflow-catalog';
export { demoWorkflows, demoWorkflowToolNames, type DemoWorkflow } from './demo-workflows';
