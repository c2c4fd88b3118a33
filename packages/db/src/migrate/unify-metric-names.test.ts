import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../client';
import { inMemoryDataDir } from '../config';
import { defaultMigrationsDirectory } from '../paths';
import { applyMigrations } from './apply-migrations';
import { readMigrationFiles } from './migration-files';

const migrationName = '20261126015944_unify_metric_names';
const anscombe = (count: number) => 2 * Math.sqrt(count + 0.375);

/** The committed migrations before the rename, in a scratch directory the rename is copied into later. */
const directory = mkdtempSync(path.join(tmpdir(), 'opspilot-rename-'));
cpSync(path.join(defaultMigrationsDirectory, 'migration_lock.toml'), path.join(directory, 'migration_lock.toml'));
for (const migration of readMigrationFiles(defaultMigrationsDirectory).filter((candidate) => candidate.name < migrationName)) {
  cpSync(path.join(defaultMigrationsDirectory, migration.name), path.join(directory, migration.name), { recursive: true });
}
afterAll(() => rmSync(directory, { recursive: true, force: true }));

describe(`migration ${migrationName} on a database written before it (PGlite)`, () => {
  it('renames watched series to metric keys in anomalies, incidents, policies and workflow triggers, and turns count values back into counts', async () => {
    const db = await openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir });
    try {
      await applyMigrations(db, { migrationsDirectory: directory });
      await db.execute(`INSERT INTO "Workspace" ("id", "name", "slug", "updatedAt") VALUES ('ws', 'Acme', 'acme', now())`);
      const anomaly = (id: string, metric: string, values: [number, number, number, number]) =>
        db.execute(
          `INSERT INTO "Anomaly" ("id", "workspaceId", "metric", "detector", "windowStart", "windowEnd", "actual", "expected", "lower", "upper", "score", "direction", "severity")
           VALUES ($1, 'ws', $2, 'test', now(), now(), $3, $4, $5, $6, 0.9, 'up', 'warning')`,
          [id, metric, ...values],
        );
      await anomaly('churn', 'customer_churn', [anscombe(11), anscombe(1), -1.3, anscombe(4)]);
      await anomaly('latency', 'api_latency_p95_ms', [430.4, 198.6, 150.1, 247.1]);
      await anomaly('signups', 'signups', [59, 147.8, 88.5, 207.1]);
      await db.execute(`INSERT INTO "Incident" ("id", "workspaceId", "title", "severity", "metrics", "startedAt", "lastSeenAt", "updatedAt")
        VALUES ('inc', 'ws', 'p95 latency up', 'critical', ARRAY['api_latency_p95_ms', 'api_errors', 'ticket_volume'], now(), now(), now())`);
      const definition = { nodes: [{ id: 'latency', kind: 'trigger', trigger: { type: 'anomaly', match: { metric: 'api_latency_p95_ms' } } }], note: 'mentions api_errors in prose' };
      await db.execute(`INSERT INTO "Workflow" ("id", "workspaceId", "key", "name", "updatedAt") VALUES ('wf', 'ws', 'rollback', 'Rollback', now())`);
      await db.execute(`INSERT INTO "WorkflowVersion" ("id", "workflowId", "version", "definition") VALUES ('wv', 'wf', 1, $1::jsonb)`, [JSON.stringify(definition)]);
      await db.execute(`INSERT INTO "RemediationPolicy" ("id", "workspaceId", "name", "match", "workflowId", "updatedAt") VALUES ('p', 'ws', 'Churn', $1::jsonb, 'wf', now())`, [
        JSON.stringify({ kind: 'anomaly', metric: 'customer_churn', severity: 'warning' }),
      ]);

      cpSync(path.join(defaultMigrationsDirectory, migrationName), path.join(directory, migrationName), { recursive: true });
      expect((await applyMigrations(db, { migrationsDirectory: directory })).applied).toEqual([migrationName]);

      const anomalies = await db.query<{ id: string; metric: string; actual: number; expected: number; lower: number; upper: number }>(
        `SELECT "id", "metric", "actual", "expected", "lower", "upper" FROM "Anomaly" ORDER BY "id"`,
      );
      expect(anomalies).toEqual([
        { id: 'churn', metric: 'churned_customers', actual: 11, expected: 1, lower: 0, upper: 4 },
        { id: 'latency', metric: 'latency_p95', actual: 430.4, expected: 198.6, lower: 150.1, upper: 247.1 },
        { id: 'signups', metric: 'signups', actual: 59, expected: 147.8, lower: 88.5, upper: 207.1 },
      ]);
      expect(await db.query(`SELECT "metrics" FROM "Incident"`)).toEqual([{ metrics: ['error_count', 'latency_p95', 'ticket_volume'] }]);
      expect(await db.query(`SELECT "match" FROM "RemediationPolicy"`)).toEqual([{ match: { kind: 'anomaly', metric: 'churned_customers', severity: 'warning' } }]);
      const [version] = await db.query<{ definition: typeof definition }>(`SELECT "definition" FROM "WorkflowVersion"`);
      expect(version!.definition.nodes[0]!.trigger.match.metric).toBe('latency_p95');
      expect(version!.definition.note).toBe('mentions api_errors in prose');
    } finally {
      await db.close();
    }
  }, 120_000);
});
