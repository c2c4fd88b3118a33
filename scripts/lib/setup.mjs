// Shared set-up for `npm start` and `npm test`: plain Node, no dependencies,
// because it runs before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const pnpmVersion = '12.4.2';
const quietEnv = {
  NEXT_TELEMETRY_DISABLED: '1',
  TURBO_TELEMETRY_DISABLED: '1',
  DO_NOT_TRACK: '1',
  CHECKPOINT_DISABLE: '1',
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
};

export function fail(message) {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

export function step(message) {
  console.log(`\n▶ ${message}`);
}

export function checkNode() {
  const [major, minor] = process.versions.node.split('.').map(Number);
  if (major < 20 || (major === 20 && minor < 19)) {
    fail(`OpsPilot needs Node.js 20.19 or newer; this is ${process.version}. Install it from https://nodejs.org or with your version manager (nvm install 20).`);
  }
}

/** The environment every child process gets: ours, the quiet flags, then the step's own variables. */
export function childEnv(env = {}) {
  return { ...process.env, ...quietEnv, ...env };
}

/** Runs a command with inherited output; returns its exit code. */
export function run(command, args, options = {}) {
  const { env, ...rest } = options;
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...rest, env: childEnv(env) });
  if (result.error) return { status: 127, error: result.error };
  return { status: result.status ?? 1 };
}

function commandWorks(command, args) {
  const result = spawnSync(command, args, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

function pnpmVersionOf(command) {
  const result = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return result.error || result.status !== 0 ? null : result.stdout.trim();
}

/** Finds pnpm at the pinned version, installing it under .data/tools when missing. */
export function ensurePnpm() {
  if (pnpmVersionOf('pnpm') === pnpmVersion) return 'pnpm';
  const localBin = path.join(root, '.data/tools/node_modules/.bin/pnpm');
  if (existsSync(localBin) && pnpmVersionOf(localBin) === pnpmVersion) return exposeOnPath(localBin);
  step(`Installing pnpm ${pnpmVersion} into .data/tools (needs only npm)`);
  mkdirSync(path.join(root, '.data/tools'), { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = run(npm, ['install', '--no-save', '--no-package-lock', '--prefix', path.join(root, '.data/tools'), `pnpm@${pnpmVersion}`]);
  if (result.status !== 0 || !existsSync(localBin)) {
    fail(`Could not install pnpm ${pnpmVersion} with npm. Check that the npm registry is reachable, or install it yourself: npm i -g pnpm@${pnpmVersion}`);
  }
  return exposeOnPath(localBin);
}

/** Child processes (turbo tasks, Playwright's web server) find the local pnpm too. */
function exposeOnPath(binary) {
  process.env.PATH = `${path.dirname(binary)}${path.delimiter}${process.env.PATH ?? ''}`;
  return binary;
}

export function installDependencies(pnpm) {
  step('Installing dependencies (pnpm install)');
  const args = ['install', '--frozen-lockfile'];
  if (run(pnpm, args).status !== 0) fail('pnpm install failed (see the output above).');
}

export function findPostgresBin() {
  if (process.env.PG_BIN_DIR && existsSync(path.join(process.env.PG_BIN_DIR, 'initdb'))) return process.env.PG_BIN_DIR;
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((name) => existsSync(path.join(base, name, 'bin/initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], 'bin') : null;
}

export function findChromium() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  return candidates.find((candidate) => candidate && existsSync(candidate)) ?? null;
}

export function canUseApt() {
  return process.platform === 'linux' && typeof process.getuid === 'function' && process.getuid() === 0 && commandWorks('apt-get', ['--version']);
}

let aptUpdated = false;
export function aptInstall(packages) {
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq']);
    aptUpdated = true;
  }
  return run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], { env: { DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}
