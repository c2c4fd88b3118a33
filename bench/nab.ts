import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createProductionDetector, nabProfiles, optimiseNabThreshold, parseNabCsv, parseNabTimestamp, type NabFile,
} from '../packages/core/src/signals/index';

const repositoryRoot = fileURLToPath(new URL('..', import.meta.url));

/** The shared NAB subset: `../shared/data/nab` from the repository root (NAB_DIR overrides). */
export function locateNabDirectory(): string {
  const directory = process.env.NAB_DIR ?? resolve(repositoryRoot, '../shared/data/nab');
  const labels = join(directory, 'labels/combined_windows.json');
  if (!existsSync(labels)) {
    throw new Error(`NAB data not found: expected ${labels} (the shared NAB subset at ../shared/data/nab from ${repositoryRoot}, or set NAB_DIR)`);
  }
  return directory;
}

/** Runs the production detector online over every labelled NAB file. */
export function scoreNabCorpus(directory: string): NabFile[] {
  const labels = JSON.parse(readFileSync(join(directory, 'labels/combined_windows.json'), 'utf8')) as Record<string, [string, string][]>;
  return Object.keys(labels).sort().map((name) => {
    const series = parseNabCsv(readFileSync(join(directory, 'data', name), 'utf8'), name);
    const detector = createProductionDetector();
    const scores = series.values.map((value, index) => detector.observe({ ts: series.timestamps[index]!, value }).score);
    const windows = (labels[name] ?? []).map(([start, end]) => [parseNabTimestamp(start), parseNabTimestamp(end)] as const);
    return { name, timestamps: series.timestamps, scores, windows };
  });
}

/** NAB normalised scores of the production detector on the shared subset, one threshold per profile. */
export default async function run(): Promise<Record<string, unknown>> {
  const started = performance.now();
  const files = scoreNabCorpus(locateNabDirectory());
  const standard = optimiseNabThreshold(files, nabProfiles.standard);
  const lowFalsePositive = optimiseNabThreshold(files, nabProfiles.reward_low_FP_rate);
  const lowFalseNegative = optimiseNabThreshold(files, nabProfiles.reward_low_FN_rate);
  const round = (value: number): number => Math.round(value * 10) / 10;
  return {
    nabStandardScore: round(standard.normalisedScore),
    nabRewardLowFpScore: round(lowFalsePositive.normalisedScore),
    nabRewardLowFnScore: round(lowFalseNegative.normalisedScore),
    nabStandardThreshold: standard.threshold,
    nabStandardTruePositives: standard.truePositives,
    nabStandardFalsePositives: standard.falsePositives,
    nabStandardFalseNegatives: standard.falseNegatives,
    nabFiles: files.length,
    nabRows: files.reduce((total, file) => total + file.timestamps.length, 0),
    nabSeconds: round((performance.now() - started) / 1000),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then((result) => console.log(JSON.stringify(result, null, 2)), (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
