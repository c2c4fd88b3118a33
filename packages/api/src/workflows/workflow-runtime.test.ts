import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '@opspilot/core/ports';
import { createRuntime, type Runtime } from '../runtime';
import { shouldStartWorker } from './workflow-runtime';

describe('where workflow workers run', () => {
  it('embeds one in the web process by default, on PostgreSQL unless OPSPILOT_EMBEDDED_WORKER=false, never under test unless asked', () => {
    expect(shouldStartWorker({ option: undefined, env: {}, mode: 'embedded' })).toBe(true);
    expect(shouldStartWorker({ option: undefined, env: {}, mode: 'postgres' })).toBe(true);
    expect(shouldStartWorker({ option: undefined, env: { OPSPILOT_EMBEDDED_WORKER: 'false' }, mode: 'postgres' })).toBe(false);
    expect(shouldStartWorker({ option: undefined, env: { OPSPILOT_EMBEDDED_WORKER: 'FALSE ' }, mode: 'postgres' })).toBe(false);
    expect(shouldStartWorker({ option: undefined, env: { NODE_ENV: 'test' }, mode: 'embedded' })).toBe(false);
    expect(shouldStartWorker({ option: true, env: { NODE_ENV: 'test' }, mode: 'embedded' })).toBe(true);
    expect(shouldStartWorker({ option: false, env: {}, mode: 'embedded' })).toBe(false);
  });
});

describe('the embedded runtime with its worker', () => {
  let runtime: Runtime;

  beforeAll(async () => {
    runtime = await createRuntime({
      env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' }, seedWhenEmpty: false, logger: silentLogger, printDemoCredentials: false, startWorker: true,
    });
  }, 120_000);
  afterAll(async () => runtime?.close());

  it('runs a started run to the end by itself, and close() stops the worker', async () => {
    expect(runtime.workflowWorker?.isRunning).toBe(true);
    const workspace = await runtime.db.prisma.workspace.create({ data: { name: 'Embedded Co', slug: `embedded-co-${Date.now()}` } });
    const { workflow } = await runtime.workflows.createWorkflow({
      workspaceId: workspace.id, key: 'tell-twice', name: 'Tell twice',
      definition: {
        nodes: [
          { id: 'start', kind: 'trigger', trigger: { type: 'manual' } },
          { id: 'first', kind: 'action', tool: 'notify', input: { channel: 'ops', message: 'one' } },
          { id: 'second', kind: 'action', tool: 'tasks.create', input: { title: 'two' } },
        ],
        edges: [{ from: 'start', to: 'first' }, { from: 'first', to: 'second' }],
      },
    });
    const run = await runtime.workflows.startRun({ workspaceId: workspace.id, workflowId: workflow.id });
    // No drain here: only the embedded worker can move the run.
    await vi.waitFor(async () => expect((await runtime.workflows.getRun(workspace.id, run.id)).run.status).toBe('succeeded'), { timeout: 20_000, interval: 50 });
    expect(await runtime.db.prisma.sandboxOutbox.count({ where: { workspaceId: workspace.id, idempotencyKey: { contains: run.id } } })).toBe(2);
    const worker = runtime.workflowWorker;
    await runtime.close();
    expect(worker?.isRunning).toBe(false);
    runtime = undefined as unknown as Runtime;
  }, 60_000);
});
