import { isAppError } from '@opspilot/core/errors';
import { detectUsage, runDetect, UsageError } from './detect';

const usage = `Usage: pnpm opspilot <command> [arguments]

Commands:
  detect <file.csv>... --out <dir>   score NAB-format CSVs with the production anomaly detector

Run "pnpm opspilot <command> --help" for details.`;

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? process.stderr : process.stdout).write(`${usage}\n`);
    return command === undefined ? 2 : 0;
  }
  switch (command) {
    case 'detect': {
      if (rest.includes('--help') || rest.includes('-h')) {
        process.stdout.write(`${detectUsage}\n`);
        return 0;
      }
      const written = await runDetect(rest);
      process.stdout.write(`${written.map((path) => `wrote ${path}`).join('\n')}\n`);
      return 0;
    }
    default:
      process.stderr.write(`opspilot: unknown command "${command}"\n\n${usage}\n`);
      return 2;
  }
}

function reportFailure(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`opspilot detect: ${error.message}\n\n${detectUsage}\n`);
    return 2;
  }
  if (isAppError(error)) {
    process.stderr.write(`opspilot: ${error.message}\n`);
    return 1;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    process.stderr.write(`opspilot: ${(error as Error).message}\n`);
    return 1;
  }
  throw error;
}

main(process.argv.slice(2)).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.exitCode = reportFailure(error);
  },
);
