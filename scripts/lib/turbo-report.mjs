// Runs a turbo command with its output streamed as usual, and remembers each
// task's lines (turbo prefixes them `<package>:<task>: `). When a task fails,
// its last lines are printed again at the very end, so the tail of a CI log
// names the failing task and shows why it failed, however long the run was.
import { spawn } from 'node:child_process';
import { childEnv, root } from './setup.mjs';

const ansi = /\u001b\[[0-9;]*[A-Za-z]/g;
const taskPrefix = /^(@?[\w./-]+:[\w-]+): ?(.*)$/;
const keepPerTask = 2000;
// Vitest exits 1 on these even when every test passed, and its JSON report does not count them.
const unhandled = /^Vitest caught \d+ unhandled errors? during the test run|^⎯+ (Unhandled (Rejection|Errors?)|Uncaught Exception) ⎯+$/;

/** Streams `pnpm turbo …`; resolves to `{ status, failedTasks: [{ task, tail }], unhandledErrors: [{ task, line }] }`. */
export function runTurbo(pnpm, args, { env = {}, tailLines = 120 } = {}) {
  return new Promise((resolve) => {
    const child = spawn(pnpm, ['turbo', ...args], {
      cwd: root,
      stdio: ['inherit', 'pipe', 'pipe'],
      env: childEnv(env),
    });
    const lines = new Map();
    const failed = new Set();
    const unhandledErrors = [];
    const remember = (raw) => {
      const line = raw.replace(ansi, '');
      const failedMatch = /^\s*Failed:\s+(.+)$/.exec(line);
      if (failedMatch) for (const task of failedMatch[1].split(/[,\s]+/).filter(Boolean)) failed.add(task.replace('#', ':'));
      const errorMatch = /^\s*(\S+?)#(\S+?): command .* exited \(\d+\)/.exec(line);
      if (errorMatch) failed.add(`${errorMatch[1]}:${errorMatch[2]}`);
      const match = taskPrefix.exec(line);
      if (!match) return;
      if (unhandled.test(match[2])) unhandledErrors.push({ task: match[1], line: match[2].trim() });
      const kept = lines.get(match[1]) ?? [];
      kept.push(match[2]);
      if (kept.length > keepPerTask) kept.splice(0, kept.length - keepPerTask);
      lines.set(match[1], kept);
    };
    const pipe = (stream, sink) => {
      let pending = '';
      stream.on('data', (chunk) => {
        sink.write(chunk);
        pending += chunk.toString('utf8');
        const parts = pending.split('\n');
        pending = parts.pop() ?? '';
        for (const part of parts) remember(part);
      });
      stream.on('end', () => pending && remember(pending));
    };
    pipe(child.stdout, process.stdout);
    pipe(child.stderr, process.stderr);
    child.on('error', (error) => resolve({ status: 127, failedTasks: [], unhandledErrors, error }));
    child.on('close', (code) => {
      const status = code ?? 1;
      const failedTasks = [...failed].map((task) => ({ task, tail: (lines.get(task) ?? []).slice(-tailLines) }));
      resolve({ status, failedTasks, unhandledErrors });
    });
  });
}

/** Prints each failed task's last lines under a heading. */
export function printFailedTasks(failedTasks) {
  for (const { task, tail } of failedTasks) {
    console.error(`\n──── ${task} failed; its last ${tail.length} lines ────`);
    for (const line of tail) console.error(`  ${line}`);
  }
}
