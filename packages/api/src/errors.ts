import { TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server';
import { type AppError, type AppErrorCode, assertNever } from '@opspilot/core/errors';

/** The single map from core error codes to tRPC codes (and so to HTTP statuses). */
export function trpcCodeFor(code: AppErrorCode): TRPC_ERROR_CODE_KEY {
  switch (code) {
    case 'BAD_REQUEST':
      return 'BAD_REQUEST';
    case 'UNAUTHORIZED':
      return 'UNAUTHORIZED';
    case 'FORBIDDEN':
      return 'FORBIDDEN';
    case 'NOT_FOUND':
      return 'NOT_FOUND';
    case 'CONFLICT':
      return 'CONFLICT';
    case 'PAYLOAD_TOO_LARGE':
      return 'PAYLOAD_TOO_LARGE';
    case 'RATE_LIMITED':
      return 'TOO_MANY_REQUESTS';
    case 'PRECONDITION_FAILED':
      return 'PRECONDITION_FAILED';
    case 'TIMEOUT':
      return 'TIMEOUT';
    case 'UNAVAILABLE':
      return 'SERVICE_UNAVAILABLE';
    case 'INTERNAL':
      return 'INTERNAL_SERVER_ERROR';
    default:
      return assertNever(code, 'Unknown error code');
  }
}

export function toTrpcError(error: AppError): TRPCError {
  return new TRPCError({ code: trpcCodeFor(error.code), message: error.message, cause: error });
}

/**
 * A refusal of bad input as one sentence naming each field and why:
 * "Invalid input: message: Too big: expected string to have <=8000 characters".
 * The structured issues travel next to it (`data.issues`).
 */
export function describeInvalidInput(issues: readonly { path: string; message: string }[]): string {
  // zod prefixes some messages with "Invalid input: " itself; the sentence says it once.
  const parts = issues.slice(0, 5).map(({ path, message }) => {
    const reason = message.replace(/^Invalid input: /, '');
    return path ? `${path}: ${reason}` : reason;
  });
  const more = issues.length > 5 ? ` (and ${issues.length - 5} more)` : '';
  return parts.length > 0 ? `Invalid input: ${parts.join('; ')}${more}` : 'Invalid input';
}
