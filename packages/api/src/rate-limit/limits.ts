/** Request limits, read once at boot. */
export interface RequestLimits {
  /** Largest request body accepted on tRPC and REST (bytes). */
  maxBodyBytes: number;
  /** Largest body of a signals ingest batch (up to 5,000 events with their properties). */
  maxIngestBodyBytes: number;
  /** Most calls in one tRPC batch request. */
  maxBatchSize: number;
  /** Calls per minute per API key or signed-in user. */
  perPrincipalPerMinute: number;
  /** Calls per minute per client address. */
  perIpPerMinute: number;
  /** Sign-in attempts per minute per email address. */
  signInPerMinute: number;
}

export const defaultRequestLimits: RequestLimits = {
  maxBodyBytes: 1024 * 1024,
  maxIngestBodyBytes: 8 * 1024 * 1024,
  maxBatchSize: 25,
  perPrincipalPerMinute: 600,
  perIpPerMinute: 1200,
  signInPerMinute: 10,
};

const environmentNames: Record<keyof RequestLimits, string> = {
  maxBodyBytes: 'OPSPILOT_MAX_BODY_BYTES',
  maxIngestBodyBytes: 'OPSPILOT_MAX_INGEST_BODY_BYTES',
  maxBatchSize: 'OPSPILOT_MAX_BATCH_SIZE',
  perPrincipalPerMinute: 'OPSPILOT_RATE_LIMIT_PER_KEY',
  perIpPerMinute: 'OPSPILOT_RATE_LIMIT_PER_IP',
  signInPerMinute: 'OPSPILOT_RATE_LIMIT_SIGN_IN',
};

/** Defaults, overridden by positive integers in the environment; anything else stops boot. */
export function loadRequestLimits(env: Readonly<Record<string, string | undefined>>, overrides: Partial<RequestLimits> = {}): RequestLimits {
  const limits = { ...defaultRequestLimits };
  for (const key of Object.keys(environmentNames) as (keyof RequestLimits)[]) {
    const raw = env[environmentNames[key]]?.trim();
    if (!raw) continue;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) {
      throw new Error(`${environmentNames[key]} must be a positive integer (got "${raw}").`);
    }
    limits[key] = value;
  }
  return { ...limits, ...overrides };
}

/** The body cap for a request: ingest batches (tRPC `signals.ingest`, REST `.../signals/events`) get the larger one. */
export function bodyLimitFor(request: Request, limits: Pick<RequestLimits, 'maxBodyBytes' | 'maxIngestBodyBytes'>): number {
  const path = new URL(request.url).pathname;
  const isIngest = path.endsWith('/signals/events') || path.endsWith('/signals.ingest');
  return isIngest ? limits.maxIngestBodyBytes : limits.maxBodyBytes;
}
