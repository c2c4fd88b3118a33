import { createConsoleLogger } from '../logger';
import { readConcurrency, startStandaloneWorker, workerUsage, type RunningWorker } from '../workflows/standalone-worker';

/** `pnpm worker`: a standalone workflow worker process (see workerUsage). */
async function main(): Promise<void> {
  const logger = createConsoleLogger();
  if (process.argv.includes('--help') || process.argv.includes('-h')) {
    process.stdout.write(`${workerUsage}\n`);
    return;
  }
  let running: RunningWorker;
  try {
    running = await startStandaloneWorker(process.env, logger);
  } catch (error) {
    logger.error('Workflow worker could not start', { error: error instanceof Error ? error.message : String(error) });
    process.exitCode = 1;
    return;
  }
  logger.info('Workflow worker started', { workerId: running.workerId, concurrency: readConcurrency(process.env), pid: process.pid });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('Workflow worker stopping: finishing the steps in flight', { signal });
    running.stop().then(
      () => {
        logger.info('Workflow worker stopped', { workerId: running.workerId });
        process.exit(0);
      },
      (error: unknown) => {
        logger.error('Workflow worker did not stop cleanly', { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

void main();
