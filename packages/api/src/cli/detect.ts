import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { createProductionDetector, formatScoredCsv, parseNabCsv, type NabSeries } from '@opspilot/core/signals';

export const detectUsage = `Usage: pnpm opspilot detect <file.csv>... --out <dir>

Reads NAB-format CSVs (header "timestamp,value"), runs the production anomaly
detector online (each row's score uses only earlier rows) and writes
<dir>/<same file name> with the columns timestamp,value,anomaly_score.`;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface DetectArguments {
  files: string[];
  outDir: string;
}

/** Parses `detect` arguments; throws UsageError with the reason. */
export function parseDetectArguments(argv: readonly string[]): DetectArguments {
  const files: string[] = [];
  let outDir: string | undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--out' || argument === '-o') {
      outDir = argv[index + 1];
      if (outDir === undefined || outDir.startsWith('-')) throw new UsageError('--out needs a directory');
      index += 1;
    } else if (argument.startsWith('--out=')) outDir = argument.slice('--out='.length);
    else if (argument.startsWith('-')) throw new UsageError(`unknown option ${argument}`);
    else files.push(argument);
  }
  if (files.length === 0) throw new UsageError('no input CSV given');
  if (!outDir) throw new UsageError('missing --out <dir>');
  return { files, outDir };
}

/** Scores one series with a fresh production detector, point by point in order. */
export function scoreSeries(series: NabSeries): number[] {
  const detector = createProductionDetector();
  return series.values.map((value, index) => detector.observe({ ts: series.timestamps[index]!, value }).score);
}

/** Runs `detect`; returns the written paths. */
export async function runDetect(argv: readonly string[]): Promise<string[]> {
  const { files, outDir } = parseDetectArguments(argv);
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const file of files) {
    const series = parseNabCsv(await readFile(file, 'utf8'), file);
    const target = join(outDir, basename(file));
    await writeFile(target, formatScoredCsv(series, scoreSeries(series)));
    written.push(target);
  }
  return written;
}
