import { AppError, isAppError } from '../errors';
import type { CallToolRequest, ToolCallResult } from './gateway-types';

/**
 * The shape of the workflow engine's `ActionRequest`
 * (packages/core/src/workflows/actions.ts), restated so this module does not
 * depend on the workflows domain; TypeScript matches them structurally.
 */
export interface GatewayActionRequest {
  workspaceId: string;
  tool: string;
  input: Record<string, unknown>;
  idempotencyKey: string;
  runId: string;
  nodeId: string;
  signal: AbortSignal;
}

/** The part of the gateway the invoker needs. */
export interface ToolCaller {
  callTool(request: CallToolRequest): Promise<ToolCallResult>;
}

function isInvalidInput(result: ToolCallResult): boolean {
  return result.text.some((text) => /Input validation error|MCP error -32602|Invalid arguments/i.test(text));
}

/**
 * A tool that answers with an error has usually judged the request itself ("channel not
 * found"): repeating it changes nothing. Only answers that say the vendor is overloaded or
 * briefly unreachable are worth a retry.
 */
function isTransient(result: ToolCallResult): boolean {
  return result.text.some((text) =>
    /\b(429|5\d\d|rate.?limit\w*|too many requests|timed out|timeout|temporar\w*|unavailable|try again|ECONNRESET|ECONNREFUSED)\b/i.test(text),
  );
}

function classifyToolError(result: ToolCallResult): 'BAD_REQUEST' | 'PRECONDITION_FAILED' | 'UNAVAILABLE' {
  if (isInvalidInput(result)) return 'BAD_REQUEST';
  return isTransient(result) ? 'UNAVAILABLE' : 'PRECONDITION_FAILED';
}

/**
 * Implements the workflow engine's `ActionInvoker` with the gateway: the
 * step's idempotency key goes to the tool (Stripe's Idempotency-Key, the
 * sandbox outbox, the gateway's own dedupe), the run is the audit actor, and
 * a tool error becomes a thrown AppError: BAD_REQUEST for invalid input and
 * PRECONDITION_FAILED for a refusal, which the engine does not retry; UNAVAILABLE
 * for an overloaded or unreachable vendor, which it retries safely because the key
 * makes the retry idempotent.
 */
export function createGatewayActionInvoker(gateway: ToolCaller): { invoke(request: GatewayActionRequest): Promise<unknown> } {
  return {
    async invoke(request) {
      const result = await gateway
        .callTool({
          workspaceId: request.workspaceId,
          actor: { type: 'workflow', id: request.runId, runId: request.runId },
          tool: request.tool,
          args: request.input,
          idempotencyKey: request.idempotencyKey,
          signal: request.signal,
        })
        .catch((error: unknown) => {
          // The step's key is held by another call still running (e.g. a step re-run after a lost lease): retry
          // later, when the stored result is there or the holder's lease has ended. Other conflicts stay permanent.
          if (isAppError(error) && error.code === 'CONFLICT' && error.retryAfterSeconds !== undefined) {
            throw new AppError('UNAVAILABLE', error.message, { retryAfterSeconds: error.retryAfterSeconds, cause: error });
          }
          throw error;
        });
      if (result.isError) {
        const message = `Tool ${request.tool} failed in run ${request.runId} step ${request.nodeId}: ${result.text.join(' ').slice(0, 500)}`;
        throw new AppError(classifyToolError(result), message);
      }
      return result.structuredContent ?? { text: result.text };
    },
  };
}
