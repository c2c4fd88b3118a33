import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from './client';
import { createEventBus, createInProcessEventBus, type ClosableEventBus } from './event-bus';
import { createPostgresTestDatabase, describePostgres, type TestDatabase } from './testing/test-databases';

function nextPayload(bus: ClosableEventBus, topic: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // A failed subscribe (the LISTEN connection did not open) fails the test that awaits this, not the whole run as an unhandled rejection.
    bus.subscribe(topic, resolve).catch(reject);
  });
}

describe('in-process event bus', () => {
  it('delivers JSON copies to every subscriber of the topic only, until they unsubscribe', async () => {
    const bus = createInProcessEventBus();
    const received: unknown[] = [];
    const unsubscribe = await bus.subscribe('run-start', (payload) => received.push(payload));
    await bus.subscribe('other-topic', () => received.push('wrong topic'));
    const original = { runId: 'r1', at: new Date('2026-01-02T03:04:05Z') };
    const delivered = nextPayload(bus, 'run-start');
    await bus.publish('run-start', original);
    expect(await delivered).toEqual({ runId: 'r1', at: '2026-01-02T03:04:05.000Z' });
    expect(received).toEqual([{ runId: 'r1', at: '2026-01-02T03:04:05.000Z' }]);
    await unsubscribe();
    const again = nextPayload(bus, 'run-start');
    await bus.publish('run-start', { runId: 'r2' });
    await again;
    expect(received).toHaveLength(1);
    await bus.close();
  });

  it('keeps delivering when one handler throws', async () => {
    const bus = createInProcessEventBus();
    await bus.subscribe('step-end', () => {
      throw new Error('broken handler');
    });
    const delivered = nextPayload(bus, 'step-end');
    await bus.publish('step-end', { stepId: 's1' });
    expect(await delivered).toEqual({ stepId: 's1' });
    await bus.close();
  });

  it('rejects payloads of 8000 bytes or more, like NOTIFY', async () => {
    const bus = createInProcessEventBus();
    await expect(bus.publish('big', { blob: 'x'.repeat(8000) })).rejects.toThrow(/under 8000 bytes/);
    await bus.close();
  });
});

describePostgres('PostgreSQL LISTEN/NOTIFY event bus', () => {
  let database: TestDatabase;
  let secondConnection: Database;
  let publisher: ClosableEventBus;
  let subscriber: ClosableEventBus;
  beforeAll(async () => {
    database = await createPostgresTestDatabase();
    // A second pool stands in for a second process (web and worker).
    secondConnection = await openDatabase({ mode: 'postgres', url: database.url ?? '' });
    publisher = createEventBus(database);
    subscriber = createEventBus(secondConnection);
  });
  afterAll(async () => {
    await Promise.all([publisher.close(), subscriber.close()]);
    await secondConnection.close();
    await database.close();
  });

  it('delivers an event published on one connection to a subscriber on another', async () => {
    const delivered = nextPayload(subscriber, 'incident-open');
    // Awaiting a second subscribe waits for the shared LISTEN connection to be up.
    await subscriber.subscribe('noop', () => undefined);
    await publisher.publish('incident-open', { incidentId: 'i1', severity: 'high' });
    expect(await delivered).toEqual({ incidentId: 'i1', severity: 'high' });
  });

  it('rejects oversized payloads before reaching PostgreSQL', async () => {
    await expect(publisher.publish('big', 'y'.repeat(9000))).rejects.toThrow(/under 8000 bytes/);
  });

  it('reconnects after its listening connection is killed', async () => {
    const received: unknown[] = [];
    await subscriber.subscribe('heartbeat', (payload) => received.push(payload));
    const killed = await database.query<{ pid: number }>(
      `SELECT pg_terminate_backend(pid) AS pid FROM pg_stat_activity WHERE query ILIKE 'LISTEN opspilot_events%' AND datname = current_database()`,
    );
    expect(killed.length).toBeGreaterThan(0);
    let sequence = 0;
    await vi.waitFor(
      async () => {
        sequence += 1;
        await publisher.publish('heartbeat', { sequence });
        expect(received.length).toBeGreaterThan(0);
      },
      { timeout: 20_000, interval: 200 },
    );
  });
});
