/**
 * Runs a CLI's main function: prints its error as one clear line (the
 * messages name the variable or migration at fault) and sets the exit code.
 */
export function runCli(main: () => Promise<void>): void {
  main().then(
    () => {
      process.exitCode ??= 0;
    },
    (error: unknown) => {
      console.error(`error: ${error instanceof Error ? error.message : String(error)}`);
      if (process.env.OPSPILOT_DEBUG && error instanceof Error) console.error(error.stack);
      process.exitCode = 1;
    },
  );
}

/** The database a CLI talks to, without credentials, for its log lines. */
export function describeTarget(config: { mode: 'embedded'; dataDir: string } | { mode: 'postgres'; url: string }): string {
  if (config.mode === 'embedded') return `embedded PGlite in ${config.dataDir}`;
  const url = new URL(config.url);
  return `PostgreSQL ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
