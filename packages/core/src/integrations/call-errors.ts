import { ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AppError, isAppError } from '../errors';
import type { ToolCallStatus } from './ports';
import { redactText } from './redact';

/** The audit status that goes with an error thrown by a tool call. */
export function statusOfError(error: AppError): ToolCallStatus {
  switch (error.code) {
    case 'TIMEOUT':
      return 'timeout';
    case 'UNAVAILABLE':
      return 'unavailable';
    case 'RATE_LIMITED':
      return 'rate_limited';
    case 'FORBIDDEN':
    case 'UNAUTHORIZED':
      return 'forbidden';
    case 'BAD_REQUEST':
    case 'CONFLICT':
    case 'INTERNAL':
    case 'NOT_FOUND':
    case 'PAYLOAD_TOO_LARGE':
    case 'PRECONDITION_FAILED':
      return 'error';
  }
}

function isConnectionFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const causeCode = (error.cause as { code?: unknown } | undefined)?.code;
  const text = `${error.name} ${error.message} ${typeof causeCode === 'string' ? causeCode : ''}`;
  return /fetch failed|ECONNREFUSED|ECONNRESET|EPIPE|socket hang up|other side closed|Not connected|Connection closed|StreamableHTTPError|Error POSTing/i.test(
    text,
  );
}

/**
 * Turns whatever an upstream call threw into an AppError with a clear code
 * and a message scrubbed of the connection's secrets.
 */
export function toCallError(error: unknown, context: { tool: string; secrets: string[]; callerAborted: boolean }): AppError {
  if (isAppError(error)) return error;
  const message = redactText(error instanceof Error ? error.message : String(error), context.secrets);
  if (context.callerAborted) return new AppError('TIMEOUT', `Tool call ${context.tool} was cancelled by the caller`);
  if (error instanceof McpError) {
    if (error.code === Number(ErrorCode.RequestTimeout)) return new AppError('TIMEOUT', `Tool ${context.tool} timed out: ${message}`);
    if (error.code === Number(ErrorCode.ConnectionClosed)) return new AppError('UNAVAILABLE', `Tool ${context.tool} is unavailable: ${message}`);
    if (error.code === Number(ErrorCode.InvalidParams)) return new AppError('BAD_REQUEST', `Invalid arguments for ${context.tool}: ${message}`);
    if (error.code === Number(ErrorCode.MethodNotFound)) return new AppError('NOT_FOUND', `Tool ${context.tool} does not exist: ${message}`);
  }
  if (isConnectionFailure(error)) return new AppError('UNAVAILABLE', `Tool ${context.tool} is unavailable: ${message}`);
  return new AppError('INTERNAL', `Tool ${context.tool} failed: ${message}`);
}
