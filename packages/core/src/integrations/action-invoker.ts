import { AppError } from '../errors';
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
 * Implements the workflow engine's `ActionInvoker` with the gateway: the
 * step's idempotency key goes to the tool (Stripe's Idempotency-Key, the
 * sandbox outbox, the gateway's own dedupe), the run is the audit actor, and
 * a tool error becomes a thrown AppError (BAD_REQUEST for invalid input, which
 * the engine does not retry; INTERNAL otherwise, which it may retry safely
 * because the key makes the retry idempotent).
 */
export function createGatewayActionInvoker(gateway: ToolCaller): { invoke(request: GatewayActionRequest): Promise<unknown> } {
  return {
    async invoke(request) {
      const result = await gateway.callTool({
        workspaceId: request.workspaceId,
        actor: { type: 'workflow', id: request.runId, runId: request.runId },
        tool: request.tool,
        args: request.input,
        idempotencyKey: request.idempotencyKey,
        signal: request.signal,
      });
      if (result.isError) {
        const message = `Tool ${request.tool} failed in run ${request.runId} step ${request.nodeId}: ${result.text.join(' ').slice(0, 500)}`;
        throw new AppError(isInvalidInput(result) ? 'BAD_REQUEST' : 'INTERNAL', message);
      }
      return result.structuredContent ?? { text: result.text };
    },
  };
}
