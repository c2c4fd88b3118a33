import { createHash } from 'node:crypto';

/** JSON with object keys sorted at every level, so equal arguments hash equally. */
export function toCanonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

/** sha256 (hex) of the canonical JSON of a tool call's arguments. */
export function hashArguments(value: unknown): string {
  return createHash('sha256').update(toCanonicalJson(value)).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
  }
  return sorted;
}
