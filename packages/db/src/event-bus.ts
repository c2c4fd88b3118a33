import { EventEmitter } from 'node:events';
import type { EventBus, Logger } from '@opspilot/core/ports';
import { silentLogger } from '@opspilot/core/ports';
import pg from 'pg';
import type { Database } from './client';

/** An EventBus that owns resources (the LISTEN connection) and must be closed. */
export interface ClosableEventBus extends EventBus {
  close(): Promise<void>;
}

export interface EventBusOptions {
  logger?: Logger;
}

/** PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; the in-process bus keeps the same limit. */
export const maximumPayloadBytes = 7999;

/** Every topic shares one channel: topic names need not be SQL identifiers, and one LISTEN serves them all. */
const channel = 'opspilot_events';

interface Envelope {
  topic: string;
  payload: unknown;
}

/**
 * The bus for the database's mode: in-process for embedded PGlite (one
 * process owns the data directory), LISTEN/NOTIFY for PostgreSQL so every
 * web and worker process sees every event.
 */
export function createEventBus(database: Database, options: EventBusOptions = {}): ClosableEventBus {
  switch (database.config.mode) {
    case 'embedded':
      return createInProcessEventBus(options);
    case 'postgres':
      return createPostgresEventBus(database, database.config.url, options);
  }
}

/** Serialises like NOTIFY does, so both buses deliver the same (JSON) values and reject the same sizes. */
function encodeEnvelope(topic: string, payload: unknown): string {
  const text = JSON.stringify({ topic, payload } satisfies Envelope);
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > maximumPayloadBytes) {
    throw new Error(`Event "${topic}" is ${bytes} bytes; events must stay under 8000 bytes: publish an id and let subscribers re-read the state.`);
  }
  return text;
}

/** Dispatches to handlers one by one; a throwing handler is logged and does not stop the others. */
function deliver(emitter: EventEmitter, envelope: Envelope, logger: Logger): void {
  for (const listener of emitter.listeners(envelope.topic)) {
    try {
      (listener as (payload: unknown) => void)(envelope.payload);
    } catch (error) {
      logger.error('event handler failed', { topic: envelope.topic, error: String(error) });
    }
  }
}

function subscribeLocally(emitter: EventEmitter, topic: string, handler: (payload: unknown) => void): () => Promise<void> {
  // Wrapping makes each subscription distinct even when one handler subscribes twice.
  const listener = (payload: unknown) => handler(payload);
  emitter.on(topic, listener);
  return async () => {
    emitter.off(topic, listener);
  };
}

/** Events stay inside this process; delivery is asynchronous, like NOTIFY's. */
export function createInProcessEventBus(options: EventBusOptions = {}): ClosableEventBus {
  const logger = options.logger ?? silentLogger;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  return {
    async publish(topic, payload) {
      const envelope = JSON.parse(encodeEnvelope(topic, payload)) as Envelope;
      setImmediate(() => deliver(emitter, envelope, logger));
    },
    async subscribe(topic, handler) {
      return subscribeLocally(emitter, topic, handler);
    },
    async close() {
      emitter.removeAllListeners();
    },
  };
}

/**
 * LISTEN on one dedicated connection (opened at the first subscribe and
 * reopened with backoff when it drops); NOTIFY through the database's pool.
 * Events published while the listener is down are lost, which is why
 * payloads are notifications and subscribers re-read durable state.
 */
export function createPostgresEventBus(database: Pick<Database, 'execute'>, url: string, options: EventBusOptions = {}): ClosableEventBus {
  const logger = options.logger ?? silentLogger;
  const emitter = new EventEmitter();
  emitter.setMaxListeners(0);
  const listener = createListenConnection(url, logger, (text) => {
    try {
      deliver(emitter, JSON.parse(text) as Envelope, logger);
    } catch (error) {
      logger.warn('ignored a malformed event', { error: String(error) });
    }
  });
  return {
    async publish(topic, payload) {
      await database.execute('SELECT pg_notify($1, $2)', [channel, encodeEnvelope(topic, payload)]);
    },
    async subscribe(topic, handler) {
      await listener.ensureListening();
      return subscribeLocally(emitter, topic, handler);
    },
    async close() {
      emitter.removeAllListeners();
      await listener.close();
    },
  };
}

interface ListenConnection {
  ensureListening(): Promise<void>;
  close(): Promise<void>;
}

function createListenConnection(url: string, logger: Logger, onNotification: (payload: string) => void): ListenConnection {
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let retryDelay = 100;
  let retryTimer: NodeJS.Timeout | undefined;

  const scheduleReconnect = () => {
    connecting = undefined;
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((error: unknown) => {
        logger.warn('event bus reconnect failed', { error: String(error), retryInMs: retryDelay });
        scheduleReconnect();
      });
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 5000);
  };

  const connect = (): Promise<pg.Client> => {
    connecting ??= (async () => {
      const client = new pg.Client({ connectionString: url });
      client.on('notification', (message) => {
        if (message.channel === channel && message.payload !== undefined) onNotification(message.payload);
      });
      client.on('error', (error) => logger.warn('event bus connection error', { error: String(error) }));
      client.on('end', () => {
        if (!closed) scheduleReconnect();
      });
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      retryDelay = 100;
      return client;
    })();
    connecting.catch(() => {
      connecting = undefined;
    });
    return connecting;
  };

  return {
    async ensureListening() {
      if (closed) throw new Error('The event bus is closed.');
      await connect();
    },
    async close() {
      closed = true;
      clearTimeout(retryTimer);
      const client = await connecting?.catch(() => undefined);
      await client?.end().catch(() => undefined);
    },
  };
}
