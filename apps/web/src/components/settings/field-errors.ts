import type { TRPCClientErrorLike } from '@trpc/client';
import type { AppRouter } from '@opspilot/api';

/** What a refused form submission means for the form: a message per field it names, and one for the rest. */
export interface FormErrors {
  fields: Record<string, string>;
  general: string | null;
}

export const noFormErrors: FormErrors = { fields: {}, general: null };

/**
 * Spreads a tRPC error over the form's fields: the server's zod issues arrive in
 * `error.data.issues` as `{ path, message }`, and an issue whose first path
 * segment is one of `fieldNames` is shown next to that field. Anything else
 * (a refusal without issues, an issue on a field the form does not have) is
 * the general message.
 */
export function readFormErrors(error: TRPCClientErrorLike<AppRouter> | null, fieldNames: readonly string[]): FormErrors {
  if (!error) return noFormErrors;
  const fields: Record<string, string> = {};
  const others: string[] = [];
  for (const issue of error.data?.issues ?? []) {
    const field = issue.path.split('.')[0] ?? '';
    if (fieldNames.includes(field)) fields[field] ??= issue.message;
    else others.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
  }
  const general = others.length > 0 ? others.join(' ') : Object.keys(fields).length === 0 ? error.message : null;
  return { fields, general };
}

/** Moves focus to the first field, in form order, that has an error, so a keyboard or screen-reader user lands on it. */
export function focusFirstInvalid(errors: FormErrors, fieldIds: Record<string, string>): void {
  const first = Object.keys(fieldIds).find((field) => errors.fields[field]);
  if (first) document.getElementById(fieldIds[first] ?? '')?.focus();
}
