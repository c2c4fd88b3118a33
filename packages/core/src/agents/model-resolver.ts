import { createAmazonBedrock } from '@ai-sdk/amazon-bedrock';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModel } from 'ai';
import { AppError } from '../errors';
import type { ModelResolver } from './ports';

/** Provider keys. The api layer fills them from the environment; workspaces may override them from their encrypted settings. */
export interface ModelCredentials {
  openaiApiKey?: string;
  openaiBaseUrl?: string;
  anthropicApiKey?: string;
  googleApiKey?: string;
  bedrock?: { region: string; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string; apiKey?: string };
  /** Any OpenAI-compatible endpoint: a local Ollama (http://127.0.0.1:11434/v1), vLLM, LM Studio... */
  openaiCompatible?: { baseURL: string; apiKey?: string; name?: string };
}

export const modelProviders = ['openai', 'anthropic', 'google', 'bedrock', 'openai-compatible'] as const;
export type ModelProvider = (typeof modelProviders)[number];

const providerAliases: Record<string, ModelProvider> = {
  openai: 'openai',
  anthropic: 'anthropic',
  google: 'google',
  gemini: 'google',
  bedrock: 'bedrock',
  'amazon-bedrock': 'bedrock',
  'openai-compatible': 'openai-compatible',
  compatible: 'openai-compatible',
  ollama: 'openai-compatible',
  vllm: 'openai-compatible',
};

/** Splits "provider:model" at the first colon ("ollama:llama3.1:8b" keeps the tag). */
export function parseModelSpec(spec: string): { provider: ModelProvider; modelId: string } {
  const index = spec.indexOf(':');
  const provider = providerAliases[spec.slice(0, Math.max(index, 0)).trim().toLowerCase()];
  const modelId = spec.slice(index + 1).trim();
  if (index <= 0 || !provider || modelId === '') {
    throw new AppError('BAD_REQUEST', `Model "${spec}" is not "<provider>:<model>" with provider one of ${modelProviders.join(', ')}`);
  }
  return { provider, modelId };
}

function missingKey(provider: string): never {
  throw new AppError('PRECONDITION_FAILED', `No credentials for the ${provider} provider: set them in the environment or the workspace's AI settings`);
}

function buildModel(provider: ModelProvider, modelId: string, credentials: ModelCredentials): LanguageModel {
  switch (provider) {
    case 'openai': {
      if (!credentials.openaiApiKey) missingKey('openai');
      return createOpenAI({ apiKey: credentials.openaiApiKey, ...(credentials.openaiBaseUrl ? { baseURL: credentials.openaiBaseUrl } : {}) }).chat(modelId);
    }
    case 'anthropic':
      return createAnthropic({ apiKey: credentials.anthropicApiKey ?? missingKey('anthropic') })(modelId);
    case 'google':
      return createGoogleGenerativeAI({ apiKey: credentials.googleApiKey ?? missingKey('google') })(modelId);
    case 'bedrock':
      return createAmazonBedrock(credentials.bedrock ?? missingKey('bedrock'))(modelId);
    case 'openai-compatible': {
      const endpoint = credentials.openaiCompatible ?? missingKey('openai-compatible');
      return createOpenAICompatible({ name: endpoint.name ?? 'openai-compatible', baseURL: endpoint.baseURL, ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}) }).chatModel(modelId);
    }
    default: {
      const unreachable: never = provider;
      throw new AppError('BAD_REQUEST', `Unknown provider ${String(unreachable)}`);
    }
  }
}

/**
 * Resolves "provider:model" to an AI SDK chat model with streaming and tool
 * calling. Keys come from `credentials` (the environment, read by the api
 * layer) overlaid with the workspace's own (decrypted) keys.
 */
export function createModelResolver(options: {
  credentials: ModelCredentials;
  workspaceCredentials?: (workspaceId: string) => Promise<Partial<ModelCredentials>>;
}): ModelResolver {
  return {
    async resolve(spec, workspaceId) {
      const { provider, modelId } = parseModelSpec(spec);
      const overrides = options.workspaceCredentials ? await options.workspaceCredentials(workspaceId) : {};
      return buildModel(provider, modelId, { ...options.credentials, ...overrides });
    },
  };
}
