import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The dependency direction web -> api -> core <- db is enforced by lint, not
 * prose. These cases lint a would-be core file and expect the rule to fire.
 */
const eslint = new ESLint({ cwd: path.resolve(import.meta.dirname, '..') });
// An existing file of the project, so type-aware linting can parse the probe text.
const coreFile = path.resolve(import.meta.dirname, 'ports.ts');

async function ruleIdsFor(code: string) {
  const [result] = await eslint.lintText(code, { filePath: coreFile });
  return (result?.messages ?? []).map((message) => message.ruleId);
}

describe('core layer boundaries', () => {
  // The first type-aware lint builds the TypeScript program of the whole package, once: 14 s measured
  // on a loaded 2-core machine outside Vitest and over the 30 s test timeout inside a run beside other
  // suites; every later lint takes milliseconds. That one-time cost belongs to setup, not to a test.
  beforeAll(async () => {
    await ruleIdsFor('export const warmUp = 1;\n');
  }, 180_000);

  it.each([
    ["import { PrismaClient } from '@prisma/client';", 'Prisma'],
    ["import { NextResponse } from 'next/server';", 'Next.js'],
    ["import { initTRPC } from '@trpc/server';", 'tRPC'],
    ["import { useState } from 'react';", 'React'],
    ["import { openDatabase } from '@opspilot/db';", 'the db package'],
  ])('refuses %s (%s)', async (code) => {
    expect(await ruleIdsFor(`${code}\nexport const probe = 1;\n`)).toContain('no-restricted-imports');
  });

  it('refuses process.env in core', async () => {
    expect(await ruleIdsFor('export const url = process.env.DATABASE_URL;\n')).toContain('no-restricted-properties');
  });

  it('accepts a plain domain module', async () => {
    expect(await ruleIdsFor("import { z } from 'zod';\nexport const Input = z.object({ id: z.string() });\n")).toEqual([]);
  });
});
