/**
 * @opspilot/core/testing: fakes of outside services (local HTTP servers
 * speaking each vendor's wire protocol), a small external MCP server, and
 * in-memory implementations of the integration ports.
 */
export { startFakeHttpServer, readBearer, parseBody } from './fake-http-server';
export type { FakeHttpServer, FakeHandler, FakeResponse, RecordedRequest } from './fake-http-server';
export { startFakeStripe, defaultFakeStripeData } from './fake-stripe';
export type { FakeStripe, FakeStripeData } from './fake-stripe';
export { startFakeSlack } from './fake-slack';
export type { FakeSlack } from './fake-slack';
export { startFakeNotion } from './fake-notion';
export type { FakeNotion } from './fake-notion';
export { startFakeLinear } from './fake-linear';
export type { FakeLinear, FakeLinearIssue } from './fake-linear';
export { startFakeSupabase } from './fake-supabase';
export type { FakeSupabase } from './fake-supabase';
export { startTestMcpServer } from './test-mcp-server';
export type { TestMcpServer } from './test-mcp-server';
export { createInMemoryIntegrationStore } from './in-memory-integration-store';
export type { InMemorySandboxData } from './in-memory-integration-store';
export { createTestGateway, createRecordingLogger } from './gateway-fixture';
export { startFakeOpenAiServer, type FakeCompletion, type FakeOpenAiRequest, type FakeOpenAiServer } from './fake-openai-server';
export { createInMemoryEventBus, createInMemoryChatRepository } from './in-memory-chat';
export { connectInMemoryClient, connectHttpClient } from './mcp-clients';
export { settledCode } from './settled-code';
