/**
 * A web-like process for the kill -9 test of the background runner: boots a
 * runtime on DATABASE_URL with a short lease (argv: `<lease ms>`), joins the
 * election and prints its role until it is killed.
 */
import { silentLogger } from '@opspilot/core/ports';
import { createRuntime } from '../runtime';

const leaseTtlMs = Number(process.argv[2] ?? 2_000);
const runtime = await createRuntime({
  env: process.env, logger: silentLogger, startWorker: false, seedWhenEmpty: false, printDemoCredentials: false,
  runnerTimings: { leaseTtlMs, renewEveryMs: Math.max(50, Math.floor(leaseTtlMs / 5)) },
});
const role = await runtime.runner.start();
process.stdout.write(`started ${role} ${runtime.runner.holderId}\n`);
// The runner's timers do not keep a process alive on their own (a web server does that); this one must stay up.
setInterval(() => process.stdout.write(`role ${runtime.runner.status().role}\n`), 250);
