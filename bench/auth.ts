// Auth and API cost per request, in-process on PGlite: API-key authentication
// (SHA-256 lookup) + a REST read through trpc-to-openapi, a session-cookie read
// through tRPC (better-auth session lookup), the rate-limit counter in memory
// and in the RateLimitBucket table, and one email+password sign-in (scrypt).
import { createTestCaller, createTestRuntime, signUpTestUser, asUser } from '../packages/api/src/auth/testing';
import { createDatabaseRateLimiter, createMemoryRateLimiter } from '../packages/api/src/rate-limit';
import { handleRestRequest } from '../packages/api/src/rest';
import { systemClock } from '../packages/core/src/ports';
import { percentile } from './_support';

async function sample(count: number, work: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let index = 0; index < count + 20; index += 1) {
    const started = performance.now();
    await work();
    if (index >= 20) samples.push(performance.now() - started);
  }
  return samples;
}

export default async function run() {
  const runtime = await createTestRuntime();
  try {
    const user = await signUpTestUser(runtime, 'Bench');
    const owner = await createTestCaller(runtime, asUser(user));
    const workspaceId = (await owner.workspace.create({ name: 'Bench' })).id;
    const { secret } = await owner.apiKey.create({ workspaceId, name: 'bench', scopes: ['read'] });
    const restUrl = `http://localhost/api/v1/workspaces/${workspaceId}/members`;
    const rest = await sample(300, async () => {
      const response = await handleRestRequest(new Request(restUrl, { headers: { authorization: `Bearer ${secret}` } }), runtime);
      if (response.status !== 200) throw new Error(`REST answered ${response.status}`);
      await response.arrayBuffer();
    });
    const session = await sample(300, async () => (await createTestCaller(runtime, asUser(user))).member.list({ workspaceId }));
    const memoryLimiter = createMemoryRateLimiter(systemClock);
    const databaseLimiter = createDatabaseRateLimiter(runtime.db, systemClock);
    const rule = { limit: 1_000_000, windowMs: 60_000 };
    const memory = await sample(2000, () => memoryLimiter.hit('key:bench', rule));
    const database = await sample(300, () => databaseLimiter.hit('key:bench', rule));
    const signIn = await sample(10, async () => (await createTestCaller(runtime)).auth.signIn({ email: user.email, password: user.password }));
    return {
      restMembersWithApiKeyP50Ms: percentile(rest, 0.5),
      restMembersWithApiKeyP99Ms: percentile(rest, 0.99),
      trpcMembersWithSessionP50Ms: percentile(session, 0.5),
      trpcMembersWithSessionP99Ms: percentile(session, 0.99),
      rateLimitMemoryHitP50Ms: percentile(memory, 0.5),
      rateLimitPgliteUpsertP50Ms: percentile(database, 0.5),
      signInScryptP50Ms: percentile(signIn, 0.5),
    };
  } finally {
    await runtime.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
