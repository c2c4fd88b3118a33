/**
 * Ports shared by every domain. Persistence, models, time, ids and the event
 * bus reach core only through these interfaces, passed in a deps object.
 * Domain-specific repository ports live in each domain's own `ports.ts`.
 */

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(prefix?: string): string;
}

export interface Logger {
  debug(message: string, data?: Record<string, unknown>): void;
  info(message: string, data?: Record<string, unknown>): void;
  warn(message: string, data?: Record<string, unknown>): void;
  error(message: string, data?: Record<string, unknown>): void;
}

/**
 * Fan-out of live events. Embedded mode uses an in-process emitter; server
 * mode uses PostgreSQL LISTEN/NOTIFY so every web process sees every event.
 * Payloads are small notifications; subscribers re-read durable state.
 */
export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  subscribe(topic: string, handler: (payload: unknown) => void): Promise<() => Promise<void>>;
}

export const systemClock: Clock = { now: () => new Date() };

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
