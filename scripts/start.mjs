// `npm start`: from a fresh clone to a running OpsPilot on http://localhost:$PORT
// with the embedded database and the demo business.
import net from 'node:net';
import { checkNode, ensurePnpm, fail, installDependencies, run, step } from './lib/setup.mjs';

checkNode();
const port = Number(process.env.PORT ?? 3000);
if (!Number.isInteger(port) || port <= 0 || port > 65535) fail(`PORT must be a number between 1 and 65535; got "${process.env.PORT}".`);

const pnpm = ensurePnpm();
installDependencies(pnpm);
step('Building OpsPilot (prisma generate + next build)');
if (run(pnpm, ['turbo', 'run', 'build', '--filter=@opspilot/web...']).status !== 0) fail('The build failed (see the output above).');

await new Promise((resolve) => {
  const probe = net.createServer();
  probe.once('error', () => fail(`Port ${port} is already in use. Stop what is using it or choose another: PORT=3001 npm start`));
  probe.listen(port, '0.0.0.0', () => probe.close(resolve));
});

step(`Starting OpsPilot on http://localhost:${port} (migrations and the demo seed run at boot)`);
const result = run(pnpm, ['--filter', '@opspilot/web', 'exec', 'next', 'start', '-p', String(port)]);
process.exit(result.status);
