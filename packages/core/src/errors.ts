/**
 * The one error type core throws. `code` is a closed union; the api package
 * maps each code to tRPC and HTTP in exactly one place.
 */
export const appErrorCodes = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'RATE_LIMITED',
  'PRECONDITION_FAILED',
  'TIMEOUT',
  'UNAVAILABLE',
  'INTERNAL',
] as const;

export type AppErrorCode = (typeof appErrorCodes)[number];

export interface AppErrorOptions {
  /** Field-level problems, e.g. `{ path: 'events.3.occurredAt', message: 'Invalid date' }`. */
  issues?: { path: string; message: string }[];
  /** Seconds a rate-limited caller should wait. */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/**
 * Marks AppErrors across module copies: a bundler may load core twice (one copy per server
 * chunk), and `instanceof` against the other copy's class is false.
 */
const appErrorBrand = Symbol.for('opspilot.AppError');

export class AppError extends Error {
  readonly [appErrorBrand] = true;
  readonly code: AppErrorCode;
  readonly issues: { path: string; message: string }[];
  readonly retryAfterSeconds: number | undefined;

  constructor(code: AppErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.issues = options.issues ?? [];
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError || (error instanceof Error && (error as Partial<Record<typeof appErrorBrand, boolean>>)[appErrorBrand] === true);
}

/** Use in the default branch of a switch over a union so new members fail to compile. */
export function assertNever(value: never, message = 'Unexpected value'): never {
  throw new AppError('INTERNAL', `${message}: ${JSON.stringify(value)}`);
}
