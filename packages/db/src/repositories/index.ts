export * from './workspace-repository';
export * from './auth-api-keys';
export * from './auth-workspaces';
export * from './auth-invitations';
export * from './auth-rate-limit';
export * from './auth-better-auth';
export * from './signals-repositories';
export * from './chat-repository';
export * from './agent-repository';
export * from './agent-business-data';
export * from './agent-approvals';
export { createIntegrationStore, createIntegrationRepository, createToolCallAudit } from './integration-store';
export { createSandboxDataStore } from './integration-sandbox-data';
// The credentials key lives beside the data it protects; exported here until the package entry lists it.
export { loadOrCreateSecretKey, parseSecretKey } from '../secret-key';
export { createUiSchemaStore, createCapabilitiesPort, readWorkspaceCapabilities } from './ui-schema-repository';
export { readPanelTable, readPayingCohorts, type PanelTable } from './ui-schema-panel-data';
export { createWorkflowStore } from './workflow-store';
export { createActionEffectStore } from './workflow-action-effects';
