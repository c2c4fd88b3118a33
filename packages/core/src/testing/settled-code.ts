import { isAppError } from '../errors';

/** How a promise settled, for assertions: 'ok', the AppError's code, or the other error as text. */
export function settledCode(promise: Promise<unknown>): Promise<string> {
  return promise.then(
    () => 'ok',
    (error: unknown) => (isAppError(error) ? error.code : String(error)),
  );
}
