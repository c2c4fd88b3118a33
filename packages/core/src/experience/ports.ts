import type { Clock, EventBus, Logger } from '../ports';
import type { CapabilitiesPort } from './capabilities';
import type { UiSpec } from './spec';

export const uiSchemaSources = ['generated', 'patch', 'rollback', 'manual'] as const;
export type UiSchemaSource = (typeof uiSchemaSources)[number];

/** One stored version of a context's spec. */
export interface StoredUiSchema {
  workspaceId: string;
  context: string;
  version: number;
  spec: unknown;
  source: UiSchemaSource;
  note: string;
  createdById: string | null;
  createdAt: Date;
}

export type NewUiSchemaVersion = Omit<StoredUiSchema, 'createdAt' | 'spec'> & { spec: UiSpec };

/** Versioned storage; versions of a (workspace, context) are 1, 2, 3... */
export interface UiSchemaStore {
  findLatest(workspaceId: string, context: string): Promise<StoredUiSchema | null>;
  findVersion(workspaceId: string, context: string, version: number): Promise<StoredUiSchema | null>;
  /** Newest first, without specs' bodies mattering to the caller. */
  listVersions(workspaceId: string, context: string, limit: number): Promise<StoredUiSchema[]>;
  /** Inserts a version; throws AppError CONFLICT when that version number already exists. */
  appendVersion(record: NewUiSchemaVersion, at: Date): Promise<StoredUiSchema>;
}

export interface ExperienceDeps {
  store: UiSchemaStore;
  capabilities: CapabilitiesPort;
  clock: Clock;
  eventBus?: EventBus;
  logger?: Logger;
}
