import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDetectArguments, runDetect, UsageError } from './detect';

function makeCsv(rows: number, spikeAt: number): string {
  const lines = ['timestamp,value'];
  for (let index = 0; index < rows; index += 1) {
    const time = new Date(Date.UTC(2014, 3, 1) + index * 300_000).toISOString().replace('T', ' ').slice(0, 19);
    lines.push(`${time},${index === spikeAt ? 500 : 20 + ((index * 7) % 5)}`);
  }
  return `${lines.join('\n')}\n`;
}

describe('opspilot detect', () => {
  it('writes <out>/<same name> with timestamp,value,anomaly_score, scoring the spike highest', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'opspilot-detect-'));
    const input = join(directory, 'series.csv');
    await writeFile(input, makeCsv(400, 300));
    const [written] = await runDetect([input, '--out', join(directory, 'out')]);
    expect(written).toBe(join(directory, 'out', 'series.csv'));
    const lines = (await readFile(written!, 'utf8')).trim().split('\n');
    expect(lines[0]).toBe('timestamp,value,anomaly_score');
    expect(lines).toHaveLength(401);
    expect(lines[1]).toBe('2014-04-01 00:00:00,20,0');
    const scores = lines.slice(1).map((line) => Number(line.split(',')[2]));
    for (const score of scores) expect(score >= 0 && score <= 1).toBe(true);
    expect(scores.indexOf(Math.max(...scores))).toBe(300);
  });

  it('is online: truncating the input does not change earlier scores', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'opspilot-detect-'));
    await writeFile(join(directory, 'full.csv'), makeCsv(400, 300));
    await writeFile(join(directory, 'head.csv'), makeCsv(350, 300));
    await runDetect([join(directory, 'full.csv'), join(directory, 'head.csv'), '--out', directory + '/out']);
    const read = async (name: string): Promise<string[]> => (await readFile(join(directory, 'out', name), 'utf8')).trim().split('\n');
    expect((await read('full.csv')).slice(0, 351)).toEqual(await read('head.csv'));
  });

  it('explains bad usage', () => {
    expect(() => parseDetectArguments([])).toThrow(UsageError);
    expect(() => parseDetectArguments(['a.csv'])).toThrow(/missing --out/);
    expect(() => parseDetectArguments(['a.csv', '--out'])).toThrow(/--out needs a directory/);
    expect(() => parseDetectArguments(['a.csv', '--frob', 'x'])).toThrow(/unknown option --frob/);
    expect(parseDetectArguments(['a.csv', 'b.csv', '--out=dir'])).toEqual({ files: ['a.csv', 'b.csv'], outDir: 'dir' });
  });

  it('rejects a malformed CSV with the line number', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'opspilot-detect-'));
    await writeFile(join(directory, 'bad.csv'), 'timestamp,value\n2014-04-01 00:00:00,1\nnope,2\n');
    await expect(runDetect([join(directory, 'bad.csv'), '--out', directory])).rejects.toThrow(/line 3/);
  });
});
