import { z } from 'zod';
import type { SecretBox } from '../integrations/secret-box';
import type { ModelCredentials } from './model-resolver';

/** Provider keys a workspace may store (write-only: never returned by the API). */
export const ModelCredentialsInput = z.object({
  openaiApiKey: z.string().min(1).max(500).optional(),
  openaiBaseUrl: z.url().optional(),
  anthropicApiKey: z.string().min(1).max(500).optional(),
  googleApiKey: z.string().min(1).max(500).optional(),
  bedrock: z
    .object({ region: z.string().min(1).max(50), accessKeyId: z.string().max(200).optional(), secretAccessKey: z.string().max(500).optional(), sessionToken: z.string().max(4000).optional(), apiKey: z.string().max(500).optional() })
    .optional(),
  openaiCompatible: z.object({ baseURL: z.url(), apiKey: z.string().max(500).optional(), name: z.string().max(50).optional() }).optional(),
});
export type ModelCredentialsInput = z.infer<typeof ModelCredentialsInput>;

/** What `Workspace.settings.ai` holds: the model name in clear, the keys sealed. */
export const WorkspaceAiSettings = z.object({
  model: z.string().nullable().optional(),
  sealedCredentials: z.string().optional(),
});
export type WorkspaceAiSettings = z.infer<typeof WorkspaceAiSettings>;

/** Seals provider keys to one workspace: a ciphertext copied into another workspace does not decrypt. */
export function sealModelCredentials(box: SecretBox, workspaceId: string, credentials: ModelCredentialsInput): string {
  return box.encrypt(JSON.stringify(ModelCredentialsInput.parse(credentials)), `${workspaceId}:ai-credentials`);
}

export function openModelCredentials(box: SecretBox, workspaceId: string, sealed: string | undefined): Partial<ModelCredentials> {
  if (!sealed) return {};
  return ModelCredentialsInput.parse(JSON.parse(box.decrypt(sealed, `${workspaceId}:ai-credentials`)));
}

/** Which providers have keys stored, for display (never the keys). */
export function describeStoredCredentials(credentials: Partial<ModelCredentials>): string[] {
  return Object.entries(credentials)
    .filter(([, value]) => value !== undefined)
    .map(([name]) => name);
}
