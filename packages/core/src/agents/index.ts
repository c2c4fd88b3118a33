/**
 * Agents and chat: the orchestrator (planner, ops-intelligence, ui-designer,
 * remediation), the built-in deterministic reasoner, AI SDK models, and the
 * stored, resumable event stream of each chat session.
 */
export * from './events';
export type * from './ports';
export { emitChatEvent, streamChatEvents, parseLastEventId, type StreamChatEventsOptions } from './chat-stream';
export { sendChatMessage, runChatTurn, loadWorkspaceAgents, type SendMessageInput } from './orchestrator';
export {
  createChatSession,
  listChatMessages,
  requireChatSession,
  listAgents,
  updateAgent,
  CreateChatSessionInput,
  SendChatMessageInput,
  UpdateAgentInput,
  UpdateAgentFields,
} from './chat-service';
export { createGatewayToolPort, type GatewayLike } from './gateway-adapter';
export { defaultAgents } from './default-agents';
export { createModelResolver, parseModelSpec, modelProviders, type ModelCredentials, type ModelProvider } from './model-resolver';
export { planWithReasoner, type ReasonerAction, type ReasonerStep } from './reasoner';
export { parseIntent, findMetric, type Intent } from './intent-parser';
export { parsePeriods, describeRange, type NamedPeriod } from './periods';
export { describeMetricValue, formatCents } from './format';
export { isToolAllowed, wrapToolOutput, toolOutputNotice } from './tool-policy';
export { defaultTurnBudgets, BudgetExceededError } from './turn-budget';
export { createDeltaCoalescer, defaultDeltaCoalescing, type DeltaCoalescer, type DeltaCoalescing } from './delta-coalescer';
export type { Answer, Figure } from './reasoner-facts';
export { encodeChatEventStream, formatSseFrame, ChatStreamRequestBody } from './sse-encoder';
export { ModelCredentialsInput, WorkspaceAiSettings, sealModelCredentials, openModelCredentials, describeStoredCredentials } from './model-settings';
export { sweepAbandonedTurns, abandonedTurnMessage, type StaleTurn, type TurnSweepStore, type TurnSweeperDeps, type SweepOptions } from './turn-sweeper';
