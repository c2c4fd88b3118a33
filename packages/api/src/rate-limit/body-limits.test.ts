import { describe, expect, it } from 'vitest';
import { bodyLimitFor, defaultRequestLimits } from './limits';

describe('body caps', () => {
  it('gives ingest batches the larger cap on REST and tRPC', () => {
    const rest = new Request('http://localhost/api/v1/workspaces/ws_1/signals/events', { method: 'POST' });
    const trpc = new Request('http://localhost/api/trpc/signals.ingest', { method: 'POST' });
    expect(bodyLimitFor(rest, defaultRequestLimits)).toBe(defaultRequestLimits.maxIngestBodyBytes);
    expect(bodyLimitFor(trpc, defaultRequestLimits)).toBe(defaultRequestLimits.maxIngestBodyBytes);
  });

  it('keeps the ordinary cap everywhere else, including batches that merely mention ingest', () => {
    const other = new Request('http://localhost/api/v1/workspaces/ws_1/chat/sessions', { method: 'POST' });
    const batch = new Request('http://localhost/api/trpc/signals.ingest,chat.send?batch=1', { method: 'POST' });
    expect(bodyLimitFor(other, defaultRequestLimits)).toBe(defaultRequestLimits.maxBodyBytes);
    expect(bodyLimitFor(batch, defaultRequestLimits)).toBe(defaultRequestLimits.maxBodyBytes);
    expect(defaultRequestLimits.maxIngestBodyBytes).toBeGreaterThan(defaultRequestLimits.maxBodyBytes);
  });
});
