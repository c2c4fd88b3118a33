import type { SignalsDeps } from '@opspilot/core/signals';
import type { Database } from '../client';
import { createAnomalyStore } from './signals-anomalies';
import { createBillingStore, createSignalEventStore } from './signals-events';
import { createDetectionSeriesStore, createMetricFactsStore } from './signals-facts';

export { createAnomalyStore } from './signals-anomalies';
export { addDailyRollups, createBillingStore, createSignalEventStore } from './signals-events';
export { createDetectionSeriesStore, createMetricFactsStore } from './signals-facts';
export { aggregateTelemetry, refreshTelemetryRollups } from './signals-telemetry';

/** Every store the signals service needs, on one database. */
export function createSignalsStores(db: Database): Pick<SignalsDeps, 'events' | 'billing' | 'facts' | 'series' | 'anomalies'> {
  return {
    events: createSignalEventStore(db),
    billing: createBillingStore(db),
    facts: createMetricFactsStore(db),
    series: createDetectionSeriesStore(db),
    anomalies: createAnomalyStore(db),
  };
}

/** Integration config of a workspace's webhook source: the signing secret, until the encrypted integration store serves it. */
export async function findWebhookSecrets(db: Database, workspaceId: string, provider: string): Promise<{ name: string; secret: string }[]> {
  const integrations = await db.prisma.integration.findMany({ where: { workspaceId, provider, enabled: true }, select: { name: true, config: true } });
  return integrations.flatMap((integration) => {
    const config = integration.config;
    const secret = typeof config === 'object' && config !== null && !Array.isArray(config) ? config.webhookSecret : undefined;
    return typeof secret === 'string' && secret.length > 0 ? [{ name: integration.name, secret }] : [];
  });
}
