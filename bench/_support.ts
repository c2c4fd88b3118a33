// Shared helpers for benchmarks: percentiles, free ports, the built web app.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const repositoryRoot = path.resolve(import.meta.dirname, '..');

export function percentile(samples: number[], fraction: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return Math.round((sorted[index] ?? Number.NaN) * 1000) / 1000;
}

/** Calls `call` once to warm up, then `count` times, and returns each call's milliseconds. */
export async function sampleLatencies(count: number, call: () => Promise<unknown>): Promise<number[]> {
  await call();
  const samples: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return samples;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function ensureWebBuild() {
  if (!existsSync(path.join(repositoryRoot, 'apps/web/.next/BUILD_ID'))) {
    throw new Error('apps/web is not built: run `pnpm build` first (npm start and npm test build it too).');
  }
}

export interface StartedServer {
  baseUrl: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

/** Starts `next start` for the built app with its own data directory. */
export async function startWebServer(options: { dataDir: string; env?: Record<string, string> }): Promise<StartedServer> {
  ensureWebBuild();
  const port = await freePort();
  const nextBin = path.join(repositoryRoot, 'apps/web/node_modules/.bin/next');
  const child = spawn(nextBin, ['start', '-p', String(port), '-H', '127.0.0.1'], {
    cwd: path.join(repositoryRoot, 'apps/web'),
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', OPSPILOT_DATA_DIR: options.dataDir, DATABASE_URL: '', ...options.env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    process: child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Polls GET /health until it answers 200; returns the milliseconds it took. */
export async function waitForHealthy(baseUrl: string, timeoutMs = 180_000): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) return performance.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`${baseUrl}/health did not answer 200 within ${timeoutMs} ms`);
}
