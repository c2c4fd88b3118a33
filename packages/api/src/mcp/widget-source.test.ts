import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWidgetUri, widgetPagePath } from '@opspilot/core/apps';
import { createFetchedWidgetSource } from './widget-source';

let base: string;
let hits = 0;
let status = 200;
const server = createServer((request, response) => {
  hits += 1;
  response.writeHead(request.url === widgetPagePath ? status : 404, { 'content-type': 'text/html' });
  response.end(`<html><head><title>build ${status}</title></head><body></body></html>`);
});

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('fetched widget source', () => {
  it('fetches the widget page once per TTL, wraps it with the base URL, and falls back without caching a failure', async () => {
    let clock = 0;
    const source = createFetchedWidgetSource({ ttlMs: 1_000, now: () => clock });
    const first = await source.load(base);
    expect(isWidgetUri(first.uri)).toBe(true);
    expect(first.html).toContain(`<base href="${base}/">`);
    expect((await source.load(base)).uri).toBe(first.uri);
    expect(hits).toBe(1);

    clock = 2_000;
    status = 500;
    const failed = await source.load(base);
    expect(failed.html).toContain('unavailable');
    expect(failed.uri).not.toBe(first.uri);
    status = 200;
    expect((await source.load(base)).uri).toBe(first.uri);
    expect(hits).toBe(3);
  });
});
