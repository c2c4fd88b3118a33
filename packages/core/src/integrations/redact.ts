/** Replacement text for anything that looks like a credential. */
export const redactedMarker = '[REDACTED]';

const secretPatterns: RegExp[] = [
  /\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{6,}\b/g,
  /\bxox[abposr]-[A-Za-z0-9-]{6,}\b/g,
  /\b(?:secret|ntn)_[A-Za-z0-9]{10,}\b/g,
  /\blin_(?:api|oauth)_[A-Za-z0-9]{10,}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\b/g,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi,
];

const secretKeyNames = /^(authorization|api[-_]?key|x-api-key|apikey|token|access[-_]?token|secret|secret[-_]?key|password|service[-_]?role[-_]?key|bot[-_]?token|credentials|headers|cookie)$/i;

/**
 * Removes known secret values and credential-shaped substrings from a text.
 * Used on every error message and log line that may carry vendor output.
 */
export function redactText(text: string, knownSecrets: readonly string[] = []): string {
  let result = text;
  for (const secret of knownSecrets) {
    // Short values would redact ordinary words; real credentials are long.
    if (secret.length >= 6) result = result.split(secret).join(redactedMarker);
  }
  for (const pattern of secretPatterns) {
    result = result.replace(pattern, (match, scheme: unknown) =>
      typeof scheme === 'string' && /^(bearer|basic)$/i.test(scheme) ? `${scheme} ${redactedMarker}` : redactedMarker,
    );
  }
  return result;
}

/**
 * Deep copy of a value with secret-named keys replaced and secret-shaped
 * strings redacted, for logging structured data.
 */
export function redact<T>(value: T, knownSecrets: readonly string[] = []): T {
  return redactValue(value, knownSecrets) as T;
}

function redactValue(value: unknown, knownSecrets: readonly string[]): unknown {
  if (typeof value === 'string') return redactText(value, knownSecrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, knownSecrets));
  if (value instanceof Date || value === null || typeof value !== 'object') return value;
  const output: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    output[key] = secretKeyNames.test(key) ? redactedMarker : redactValue(item, knownSecrets);
  }
  return output;
}
