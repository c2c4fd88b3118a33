import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import {
  IngestBatchInput, IngestResult, anomalyTopic, changeIncidentStatus, describeAnomalyValues, describeMetricName, ingestEvents, metricDefinitions, metricIntervals, metricKeys, readMetricSeries,
  type AnomalyNotification, type StoredAnomaly, type StoredIncident,
} from '@opspilot/core/signals';
import { PageInput, workspaceProcedure } from '../procedures';
import { router } from '../trpc';
import { readIncidentSeries, signalsDepsOf } from './signals-support';

const iso = (date: Date | null) => date?.toISOString() ?? null;

const AnomalyOutput = z.object({
  id: z.string(), metric: z.string(), segment: z.string(), detector: z.string(), windowStart: z.string(), windowEnd: z.string(),
  expected: z.number(), lower: z.number(), upper: z.number(), actual: z.number(), score: z.number(),
  direction: z.enum(['up', 'down']), severity: z.enum(['info', 'warning', 'critical']), incidentId: z.string().nullable(), createdAt: z.string(),
  /** How to read actual, expected and band (stored in the series' own units): the metric's name and unit, and the window a value sums. */
  metricName: z.string(), unit: z.string(), valueWindow: z.string().nullable(),
  /** When a sustained shift was accepted as the new normal (the anomaly ends there); null otherwise. */
  levelShiftAcceptedAt: z.string().nullable(),
});

const IncidentOutput = z.object({
  id: z.string(), title: z.string(), summary: z.string(), status: z.enum(['open', 'acknowledged', 'resolved']), severity: z.enum(['info', 'warning', 'critical']),
  metrics: z.array(z.string()),
  /** The metrics as people name them ("p95 latency"), in the order of `metrics`. */
  metricNames: z.array(z.string()),
  startedAt: z.string(), lastSeenAt: z.string(), endedAt: z.string().nullable(),
  acknowledgedById: z.string().nullable(), acknowledgedAt: z.string().nullable(), resolvedById: z.string().nullable(), resolvedAt: z.string().nullable(), createdAt: z.string(),
});

export function toAnomalyOutput(anomaly: StoredAnomaly): z.infer<typeof AnomalyOutput> {
  return {
    ...anomaly, ...describeAnomalyValues(anomaly.metric),
    windowStart: anomaly.windowStart.toISOString(), windowEnd: anomaly.windowEnd.toISOString(), createdAt: anomaly.createdAt.toISOString(),
    levelShiftAcceptedAt: iso(anomaly.levelShiftAcceptedAt ?? null),
  };
}

function toIncidentOutput(incident: StoredIncident): z.infer<typeof IncidentOutput> {
  return {
    ...incident, metricNames: incident.metrics.map(describeMetricName), startedAt: incident.startedAt.toISOString(), lastSeenAt: incident.lastSeenAt.toISOString(), endedAt: iso(incident.endedAt),
    acknowledgedAt: iso(incident.acknowledgedAt), resolvedAt: iso(incident.resolvedAt), createdAt: incident.createdAt.toISOString(),
  };
}

const DefinitionOutput = z.object({
  key: z.string(), version: z.number(), name: z.string(), unit: z.string(), formula: z.string(), description: z.string(),
  directionOfGood: z.enum(['up', 'down']), aggregation: z.string(), segmentable: z.boolean(), category: z.string(),
});

const MovementsOutput = z.object({ start: z.number(), new: z.number(), expansion: z.number(), contraction: z.number(), churn: z.number(), reactivation: z.number(), end: z.number() });

const MetricsInput = z.object({
  metric: z.string().min(1).max(64),
  from: z.coerce.date(),
  to: z.coerce.date(),
  interval: z.enum(metricIntervals).default('day'),
  segment: z.string().min(1).max(64).optional(),
});

const MetricsOutput = z.object({
  definition: DefinitionOutput,
  interval: z.enum(metricIntervals),
  segment: z.string().nullable(),
  points: z.array(z.object({ start: z.string(), end: z.string(), value: z.number().nullable(), movements: MovementsOutput.optional() })),
});

const IncidentIdInput = z.object({ incidentId: z.string().min(1).max(64) });
const page = <T extends { id: string }>(items: T[], limit: number) => ({ items, nextCursor: items.length === limit ? (items.at(-1)?.id ?? null) : null });

/**
 * Signals: ingest, metrics, anomalies and incidents.
 *
 * `ingest` (POST /v1/workspaces/{workspaceId}/signals/events) takes up to
 * 5,000 events `{id, type, source, occurredAt, properties, actorId?}` (the
 * actor, else `properties.userId`, counts as active that UTC day). Items are
 * validated one by one: valid items are KEPT and invalid ones come back in
 * `errors` with their index (a 200 with `rejected > 0`), because one bad
 * event should not hold back thousands of good ones and a client can resend
 * the whole batch after fixing it (the stored ids are then duplicates). Send
 * `atomic: true` to refuse the whole batch (400) when any item is invalid. A
 * batch over 5,000 events is refused with 413, one with no valid item with
 * 400; refusals store nothing. Whatever is stored (events, their daily
 * rollups and active actor days) is written in one transaction and committed before the answer,
 * so a 2xx is durable. See docs/decisions/0006-ingest.md.
 */
export const signalsRouter = router({
  ingest: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: '/v1/workspaces/{workspaceId}/signals/events', summary: 'Ingest a batch of up to 5,000 events (optional actorId or properties.userId counts active users)', tags: ['signals'], protect: true } })
    .input(IngestBatchInput)
    .output(IngestResult)
    .mutation(({ ctx, input }) => ingestEvents(signalsDepsOf(ctx.runtime), ctx.access.workspaceId, input)),

  definitions: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/signals/definitions', summary: 'Metric definitions with formula and version', tags: ['signals'], protect: true } })
    .output(z.array(DefinitionOutput))
    .query(() => metricKeys.map((key) => metricDefinitions[key]!)),

  metrics: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/signals/metrics', summary: 'A metric series with its definition', tags: ['signals'], protect: true } })
    .input(MetricsInput)
    .output(MetricsOutput)
    .query(async ({ ctx, input }) => {
      const { workspaceId: _workspaceId, ...query } = input;
      const series = await readMetricSeries(signalsDepsOf(ctx.runtime), ctx.access.workspaceId, query);
      return { ...series, points: series.points.map((point) => ({ ...point, start: point.start.toISOString(), end: point.end.toISOString() })) };
    }),

  anomalies: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/signals/anomalies', summary: 'Detected anomalies, newest first', tags: ['signals'], protect: true } })
    .input(PageInput.extend({ from: z.coerce.date().optional(), to: z.coerce.date().optional(), metric: z.string().max(64).optional() }))
    .output(z.object({ items: z.array(AnomalyOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const items = await signalsDepsOf(ctx.runtime).anomalies.listAnomalies(ctx.access.workspaceId, input);
      return page(items.map(toAnomalyOutput), input.limit);
    }),

  incidents: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/signals/incidents', summary: 'Incidents, newest first', tags: ['signals'], protect: true } })
    .input(PageInput.extend({ status: z.enum(['open', 'acknowledged', 'resolved']).optional() }))
    .output(z.object({ items: z.array(IncidentOutput), nextCursor: z.string().nullable() }))
    .query(async ({ ctx, input }) => {
      const items = await signalsDepsOf(ctx.runtime).anomalies.listIncidents(ctx.access.workspaceId, input);
      return page(items.map(toIncidentOutput), input.limit);
    }),

  incident: workspaceProcedure('viewer')
    .meta({ openapi: { method: 'GET', path: '/v1/workspaces/{workspaceId}/signals/incidents/{incidentId}', summary: 'An incident with its anomalies and the series around it', tags: ['signals'], protect: true } })
    .input(IncidentIdInput)
    .output(IncidentOutput.extend({
      anomalies: z.array(AnomalyOutput),
      series: z.array(z.object({ metric: z.string(), segment: z.string(), points: z.array(z.object({ ts: z.string(), value: z.number() })) })),
    }))
    .query(async ({ ctx, input }) => {
      const deps = signalsDepsOf(ctx.runtime);
      const incident = await deps.anomalies.findIncident(ctx.access.workspaceId, input.incidentId);
      if (!incident) throw new TRPCError({ code: 'NOT_FOUND', message: `Incident ${input.incidentId} not found.` });
      const series = await readIncidentSeries(deps, ctx.access.workspaceId, incident);
      return { ...toIncidentOutput(incident), anomalies: incident.anomalies.map(toAnomalyOutput), series };
    }),

  acknowledge: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: '/v1/workspaces/{workspaceId}/signals/incidents/{incidentId}/acknowledge', summary: 'Acknowledge an open incident', tags: ['signals'], protect: true } })
    .input(IncidentIdInput)
    .output(IncidentOutput)
    .mutation(async ({ ctx, input }) =>
      toIncidentOutput(await changeIncidentStatus(signalsDepsOf(ctx.runtime), ctx.access.workspaceId, { incidentId: input.incidentId, to: 'acknowledged', actorId: ctx.access.actorId })),
    ),

  resolve: workspaceProcedure('member')
    .meta({ openapi: { method: 'POST', path: '/v1/workspaces/{workspaceId}/signals/incidents/{incidentId}/resolve', summary: 'Resolve an incident', tags: ['signals'], protect: true } })
    .input(IncidentIdInput)
    .output(IncidentOutput)
    .mutation(async ({ ctx, input }) =>
      toIncidentOutput(await changeIncidentStatus(signalsDepsOf(ctx.runtime), ctx.access.workspaceId, { incidentId: input.incidentId, to: 'resolved', actorId: ctx.access.actorId })),
    ),

  /**
   * New anomalies as they are stored. Subscribes to the bus first, then
   * back-fills from the database after `lastEventId` (or the latest 20), so
   * nothing stored between the two is lost; ids are anomaly ids.
   */
  onAnomaly: workspaceProcedure('viewer')
    .input(z.object({ lastEventId: z.string().max(64).nullish() }))
    .subscription(async function* ({ ctx, input, signal }) {
      const workspaceId = ctx.access.workspaceId;
      const { anomalies } = signalsDepsOf(ctx.runtime);
      let wake: (() => void) | null = null;
      let pending = false;
      const unsubscribe = await ctx.runtime.eventBus.subscribe(anomalyTopic(workspaceId), (payload) => {
        if ((payload as Partial<AnomalyNotification> | null)?.type !== 'anomaly-created') return;
        pending = true;
        wake?.();
      });
      const seen = new Set<string>();
      let lastId = input.lastEventId ?? null;
      try {
        let batch = await anomalies.listAnomaliesAfter(workspaceId, lastId, lastId ? 500 : 20);
        while (!signal?.aborted) {
          for (const anomaly of batch) {
            if (seen.has(anomaly.id)) continue;
            seen.add(anomaly.id);
            lastId = anomaly.id;
            yield tracked(anomaly.id, toAnomalyOutput(anomaly));
          }
          if (!pending) {
            await new Promise<void>((resolve) => {
              wake = resolve;
              signal?.addEventListener('abort', () => resolve(), { once: true });
            });
          }
          wake = null;
          pending = false;
          if (signal?.aborted) break;
          batch = await anomalies.listAnomaliesAfter(workspaceId, lastId, 500);
        }
      } finally {
        await unsubscribe();
      }
    }),
});
