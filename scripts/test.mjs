// `npm test`: the whole suite from a fresh clone: lint, typecheck, unit and
// integration tests (PGlite and a real PostgreSQL the tests start themselves),
// then the Playwright journeys against the built app in the system Chromium.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import {
  aptInstall,
  canUseApt,
  checkNode,
  ensurePnpm,
  fail,
  findChromium,
  findPostgresBin,
  installDependencies,
  root,
  step,
} from './lib/setup.mjs';
import { printFailedTasks, runTurbo } from './lib/turbo-report.mjs';

const inCi = process.env.CI === 'true';
checkNode();
const pnpm = ensurePnpm();
installDependencies(pnpm);

/** PostgreSQL binaries and Chromium: install with apt where possible; in CI their absence is a failure. */
function ensurePrerequisite(name, find, aptPackages, howTo) {
  let found = find();
  if (!found && canUseApt()) {
    step(`Installing ${name} with apt-get (${aptPackages.join(' ')})`);
    aptInstall(aptPackages);
    found = find();
  }
  if (found) return found;
  const message = `${name} is missing. ${howTo}`;
  if (inCi) fail(`${message} (CI=true: a missing prerequisite fails the run.)`);
  console.warn(`\n⚠ ${message} The tests that need it will be SKIPPED.\n`);
  return null;
}

const pgBin = ensurePrerequisite('PostgreSQL', findPostgresBin, ['postgresql'], 'Install it with `sudo apt-get install postgresql` (or set PG_BIN_DIR to a folder with initdb and pg_ctl).');
const chromium = ensurePrerequisite('Chromium', findChromium, ['chromium'], 'Install it with `sudo apt-get install chromium` (or set CHROMIUM_PATH).');

const env = { ...(pgBin ? { PG_BIN_DIR: pgBin } : {}), ...(chromium ? { CHROMIUM_PATH: chromium } : {}) };
const reportFiles = ['packages/core', 'packages/db', 'packages/api'].map((folder) => path.join(root, folder, '.vitest-report.json'));
const playwrightReport = path.join(root, 'e2e/.playwright-report.json');
for (const file of [...reportFiles, playwrightReport]) rmSync(file, { force: true });

step('Lint, typecheck, unit and integration tests');
const checks = await runTurbo(pnpm, ['run', 'lint', 'typecheck', 'test', '--concurrency=2', '--continue'], { env });

let e2e = { status: 0, failedTasks: [], unhandledErrors: [] };
if (chromium) {
  step('End-to-end journeys (Playwright, system Chromium)');
  e2e = await runTurbo(pnpm, ['run', 'e2e', '--concurrency=1'], { env });
} else {
  step('End-to-end journeys SKIPPED: no Chromium');
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const problems = [];
for (const file of reportFiles) {
  const name = path.relative(root, path.dirname(file));
  if (!existsSync(file)) {
    problems.push(`${name}: wrote no test report (its test task did not run to the end)`);
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  if (report.numFailedTestSuites && !report.numFailedTests) problems.push(`${name}: ${report.numFailedTestSuites} test file(s) or suite(s) failed outside a test (import or hook error)`);
}
for (const { task, line } of checks.unhandledErrors) problems.push(`${task}: ${line}`);
if (chromium && !existsSync(playwrightReport)) problems.push('e2e: wrote no Playwright report');
if (existsSync(playwrightReport)) {
  const stats = JSON.parse(readFileSync(playwrightReport, 'utf8')).stats ?? {};
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
}
const ok = checks.status === 0 && e2e.status === 0 && totals.failed === 0 && problems.length === 0;
printFailedTasks([...checks.failedTasks, ...e2e.failedTasks]);
if (checks.status !== 0) {
  const names = checks.failedTasks.map((t) => t.task).join(', ') || 'see above';
  console.error(`\n✖ lint, typecheck or unit/integration tests failed: ${names}.`);
}
if (e2e.status !== 0) console.error('\n✖ end-to-end journeys failed (see above).');
for (const problem of problems) console.error(`✖ ${problem}`);
if (ok && totals.passed === 0) fail('No test ran.');
console.log(`\nTests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok ? 0 : 1);
