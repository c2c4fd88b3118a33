import { CronExpressionParser } from 'cron-parser';
import { AppError } from '../errors';

/** The first time strictly after `after` that `cron` fires in `timezone` (IANA name). */
export function computeNextRunAt(cron: string, timezone: string, after: Date): Date {
  try {
    // Rejects unknown zones here; cron-parser would otherwise fall back silently.
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return CronExpressionParser.parse(cron, { currentDate: after, tz: timezone }).next().toDate();
  } catch (error) {
    throw new AppError('BAD_REQUEST', `Cron "${cron}" in time zone "${timezone}" is invalid: ${error instanceof Error ? error.message : String(error)}`);
  }
}
