import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, it, vi } from 'vitest';
import { openDatabase } from '../client';
import { applyMigrations } from '../migrate/apply-migrations';

vi.setConfig({ testTimeout: 180_000 });

it('a 200-answered batch survives kill -9 of the server process right after the answer', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'opspilot-signals-kill-'));
  try {
    const setup = await openDatabase({ mode: 'embedded', dataDir });
    await applyMigrations(setup);
    await setup.execute(`INSERT INTO "Workspace" ("id", "name", "slug", "updatedAt") VALUES ('ws-kill', 'Kill', 'kill', now())`);
    await setup.close();
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(import.meta.dirname, 'signals-ingest-server.fixture.ts'), dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`server exited with ${String(code)}`)));
      child.stdout.on('data', (chunk: Buffer) => {
        const match = /listening (\d+)/.exec(chunk.toString());
        if (match) resolve(Number(match[1]));
      });
    });
    const events = Array.from({ length: 2000 }, (_, index) => ({ id: `kill-${index}`, type: 'signup', source: 'test', occurredAt: new Date(Date.UTC(2026, 0, 1) + index * 60_000).toISOString() }));
    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify({ workspaceId: 'ws-kill', events }) });
    expect(response.status).toBe(200);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    const reopened = await openDatabase({ mode: 'embedded', dataDir });
    const [row] = await reopened.query<{ count: string | number }>(`SELECT COUNT(*) AS "count" FROM "SignalEvent" WHERE "workspaceId" = 'ws-kill'`);
    const [rollup] = await reopened.query<{ total: number }>(`SELECT SUM("value") AS "total" FROM "MetricPoint" WHERE "workspaceId" = 'ws-kill' AND "metric" = 'signups'`);
    await reopened.close();
    expect(Number(row?.count)).toBe(2000);
    expect(Number(rollup?.total)).toBe(2000);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});
