// `pnpm bench [name...]`: runs every bench/<name>.ts (or the named ones) one
// after another and prints ONE JSON summary on stdout. Progress goes to stderr.
import { readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Bench = () => Promise<Record<string, unknown>>;

const benchDir = import.meta.dirname;
const wanted = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));
const names = readdirSync(benchDir)
  .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.startsWith('_'))
  .map((file) => file.replace(/\.ts$/, ''))
  .filter((name) => wanted.length === 0 || wanted.includes(name))
  .sort();

// stdout carries only the summary: logs that benchmarked code prints go to stderr.
console.log = (...values: unknown[]) => console.error(...values);
console.info = console.log;

const results: Record<string, unknown> = {};
let failures = 0;
for (const name of names) {
  const started = performance.now();
  process.stderr.write(`bench ${name}...\n`);
  try {
    const module = (await import(pathToFileURL(path.join(benchDir, `${name}.ts`)).href)) as { default: Bench };
    results[name] = { ...(await module.default()), benchSeconds: round((performance.now() - started) / 1000) };
  } catch (error) {
    failures += 1;
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
}

const summary = {
  startedAt: new Date().toISOString(),
  machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? 'unknown', memoryGb: round(os.totalmem() / 2 ** 30), node: process.version },
  results,
};
process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
process.exit(failures > 0 ? 1 : 0);

function round(value: number) {
  return Math.round(value * 100) / 100;
}
