// Cold boot (empty data dir: migrate + seed) and warm boot to the first healthy
// /health, then a tRPC query round trip (workspace.overview with the demo key).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { percentile, startWebServer, waitForHealthy } from './_support';

export default async function run() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'opspilot-bench-boot-'));
  try {
    let server = await startWebServer({ dataDir });
    const coldBootMs = await waitForHealthy(server.baseUrl);
    await server.stop();
    server = await startWebServer({ dataDir });
    const warmBootMs = await waitForHealthy(server.baseUrl);
    try {
      const credentials = JSON.parse(readFileSync(path.join(dataDir, 'demo-credentials.json'), 'utf8')) as { apiKey: string; workspaceId: string };
      const url = `${server.baseUrl}/api/trpc/workspace.overview?input=${encodeURIComponent(JSON.stringify({ workspaceId: credentials.workspaceId }))}`;
      const headers = { authorization: `Bearer ${credentials.apiKey}` };
      const samples: number[] = [];
      for (let index = 0; index < 220; index += 1) {
        const started = performance.now();
        const response = await fetch(url, { headers });
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`workspace.overview answered ${response.status}`);
        if (index >= 20) samples.push(performance.now() - started);
      }
      return {
        coldBootToHealthyMs: Math.round(coldBootMs),
        warmBootToHealthyMs: Math.round(warmBootMs),
        trpcOverviewRoundTripP50Ms: percentile(samples, 0.5),
        trpcOverviewRoundTripP99Ms: percentile(samples, 0.99),
        trpcSamples: samples.length,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
