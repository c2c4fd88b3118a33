// Chat: time from sending "What was MRR last month?" to the first streamed
// event and to `done` with the built-in reasoner on the seeded demo (in-process,
// PGlite), and the heap cost of open chat subscriptions: 1,000 tRPC
// subscriptions through the router (server side) and 1,000 SSE streams over
// real HTTP (server and raw HTTP clients in this one process).
// The model path: a turn whose answer streams N text deltas from a local
// OpenAI-compatible server (planner call + one step), with the events written
// per answer (each is one INSERT ... RETURNING with its seq, plus one publish)
// and the latency to the first event, the first text and `done`: a burst (all
// deltas at once, a fast local model) and a paced stream (a pause between deltas),
// each with delta coalescing off (every delta stored, as before decision 0016) and on.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sendChatMessage, streamChatEvents, type ChatEvent } from '../packages/core/src/agents/index';
import { createModelResolver } from '../packages/core/src/agents/model-resolver';
import { silentLogger } from '../packages/core/src/ports';
import { startFakeOpenAiServer, type FakeCompletion } from '../packages/core/src/testing/fake-openai-server';
import { createContext } from '../packages/api/src/context';
import { appRouter } from '../packages/api/src/router';
import { agentDepsFor } from '../packages/api/src/routers/agents';
import { createRuntime, type Runtime } from '../packages/api/src/runtime';
import { percentile } from './_support';

// The repository root has no @trpc/server of its own; use the api package's copy.
const { createHTTPServer } = await import('../packages/api/node_modules/@trpc/server/dist/adapters/standalone.mjs');

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function heapUsed(): number {
  for (let round = 0; round < 3; round += 1) collectGarbage();
  return process.memoryUsage().heapUsed;
}

async function timeOneTurn(runtime: Runtime, workspaceId: string): Promise<{ firstEventMs: number; doneMs: number; events: number }> {
  const deps = agentDepsFor(runtime);
  const session = await deps.chats.createSession({ workspaceId, title: 'bench', createdById: null });
  const started = performance.now();
  const stream = streamChatEvents(deps, { sessionId: session.id, afterSeq: 0, untilTerminal: true });
  const first = stream.next();
  await sendChatMessage(deps, { workspaceId, sessionId: session.id, message: 'What was MRR last month?', actorId: 'bench' });
  const firstEvent = await first;
  const firstEventMs = performance.now() - started;
  let last: ChatEvent | undefined = firstEvent.value ?? undefined;
  for await (const event of stream) last = event;
  if (last?.type !== 'done') throw new Error(`turn ended with ${last?.type ?? 'nothing'}`);
  const doneMs = performance.now() - started;
  return { firstEventMs, doneMs, events: await runtime.db.prisma.chatEvent.count({ where: { sessionId: session.id } }) };
}

const planOneStep: FakeCompletion = { text: [JSON.stringify({ steps: [{ agent: 'ops-intelligence', goal: 'Answer from the workspace data.' }] })] };

interface ModelTiming {
  firstEventMs: number;
  firstTextMs: number;
  doneMs: number;
  events: number;
  textEvents: number;
}

async function timeOneModelTurn(runtime: Runtime, workspaceId: string, coalesce: boolean): Promise<ModelTiming> {
  // Coalescing off (`windowMs: 0`) is the write path as it was before decision 0016: one event per delta.
  const deps = coalesce ? agentDepsFor(runtime) : { ...agentDepsFor(runtime), deltaCoalescing: { windowMs: 0 } };
  const session = await deps.chats.createSession({ workspaceId, title: 'bench model', createdById: null });
  const started = performance.now();
  let firstEventMs = Number.NaN;
  let firstTextMs = Number.NaN;
  let last: ChatEvent | undefined;
  const consumed = (async () => {
    for await (const event of streamChatEvents(deps, { sessionId: session.id, afterSeq: 0, untilTerminal: true })) {
      if (Number.isNaN(firstEventMs)) firstEventMs = performance.now() - started;
      if (event.type === 'text-delta' && Number.isNaN(firstTextMs)) firstTextMs = performance.now() - started;
      last = event;
    }
  })();
  await sendChatMessage(deps, { workspaceId, sessionId: session.id, message: 'Tell me a long story about our operations', actorId: 'bench' });
  await consumed;
  const doneMs = performance.now() - started;
  if (last?.type !== 'done') throw new Error(`model turn ended with ${last?.type ?? 'nothing'}: ${JSON.stringify(last)}`);
  const events = await runtime.db.prisma.chatEvent.count({ where: { sessionId: session.id } });
  const textEvents = await runtime.db.prisma.chatEvent.count({ where: { sessionId: session.id, type: 'text-delta' } });
  return { firstEventMs, firstTextMs, doneMs, events, textEvents };
}

function summariseModelTurns(timings: ModelTiming[]) {
  return {
    eventsPerAnswer: percentile(timings.map((timing) => timing.events), 0.5),
    textDeltaEventsPerAnswer: percentile(timings.map((timing) => timing.textEvents), 0.5),
    firstEventP50Ms: percentile(timings.map((timing) => timing.firstEventMs), 0.5),
    firstTextP50Ms: percentile(timings.map((timing) => timing.firstTextMs), 0.5),
    doneP50Ms: percentile(timings.map((timing) => timing.doneMs), 0.5),
    doneP95Ms: percentile(timings.map((timing) => timing.doneMs), 0.95),
  };
}

/**
 * Turns on the fake model answering `deltas` chunks of 3-5 characters, `delayMs` apart, alternately
 * with coalescing off and on (so both see the same machine load).
 */
async function measureModelTurns(runtime: Runtime, workspaceId: string, options: { deltas: number; delayMs: number; turns: number; warmup: number }) {
  const answer: FakeCompletion = { text: Array.from({ length: options.deltas }, (_, index) => `w${index % 100} `), delayMs: options.delayMs };
  const fake = await startFakeOpenAiServer((_, index) => (index % 2 === 0 ? planOneStep : answer));
  agentDepsFor(runtime, { models: createModelResolver({ credentials: { openaiCompatible: { baseURL: fake.baseUrl } } }), defaultModel: 'openai-compatible:bench' });
  try {
    const off: ModelTiming[] = [];
    const on: ModelTiming[] = [];
    for (let index = 0; index < options.turns + options.warmup; index += 1) {
      const withoutCoalescing = await timeOneModelTurn(runtime, workspaceId, false);
      const withCoalescing = await timeOneModelTurn(runtime, workspaceId, true);
      if (index < options.warmup) continue;
      off.push(withoutCoalescing);
      on.push(withCoalescing);
    }
    return { off: summariseModelTurns(off), on: summariseModelTurns(on) };
  } finally {
    agentDepsFor(runtime, { defaultModel: null });
    await fake.close();
  }
}

/** `{ doneP50Ms: 1 }` -> `{ [prefix]DoneP50Ms: 1 }`: flat keys with the unit at the end, as bench/run.ts prints them. */
function prefixKeys(prefix: string, figures: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(figures).map(([key, value]) => [`${prefix}${key.charAt(0).toUpperCase()}${key.slice(1)}`, value]));
}

async function measureCallerSubscriptions(runtime: Runtime, workspaceId: string, apiKey: string, count: number) {
  const context = await createContext({ runtime, headers: new Headers({ authorization: `Bearer ${apiKey}` }) });
  const caller = appRouter.createCaller(context);
  const session = await agentDepsFor(runtime).chats.createSession({ workspaceId, title: 'subscribers', createdById: null });
  const before = heapUsed();
  const controller = new AbortController();
  const pending: Promise<unknown>[] = [];
  for (let index = 0; index < count; index += 1) {
    const iterable = await appRouter.createCaller(context, { signal: controller.signal }).chat.onEvents({ workspaceId, sessionId: session.id });
    pending.push(iterable[Symbol.asyncIterator]().next().catch(() => undefined));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  const perSubscriptionKb = (heapUsed() - before) / count / 1024;
  controller.abort();
  void caller;
  return perSubscriptionKb;
}

async function measureHttpSubscriptions(runtime: Runtime, workspaceId: string, apiKey: string, count: number) {
  const server = createHTTPServer({
    router: appRouter,
    basePath: '/api/trpc/',
    createContext: ({ req }) => createContext({ runtime, headers: new Headers(req.headers as Record<string, string>) }),
  });
  server.maxConnections = count + 100;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const session = await agentDepsFor(runtime).chats.createSession({ workspaceId, title: 'http subscribers', createdById: null });
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
  const path = `/api/trpc/chat.onEvents?input=${encodeURIComponent(JSON.stringify({ workspaceId, sessionId: session.id }))}`;
  const before = heapUsed();
  const requests: http.ClientRequest[] = [];
  const open = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port, path, agent, headers: { authorization: `Bearer ${apiKey}`, accept: 'text/event-stream' } }, (response) => {
        if (response.statusCode !== 200) reject(new Error(`SSE answered ${response.statusCode}`));
        response.once('data', () => resolve());
      });
      request.on('error', reject);
      requests.push(request);
    });
  // In batches: 1,000 simultaneous connects overflow the listen backlog and get reset.
  for (let opened = 0; opened < count; opened += 100) await Promise.all(Array.from({ length: Math.min(100, count - opened) }, open));
  await new Promise((resolve) => setTimeout(resolve, 500));
  const perStreamKb = (heapUsed() - before) / count / 1024;
  for (const request of requests) request.destroy();
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return perStreamKb;
}

export default async function run() {
  const now = new Date();
  const runtime = await createRuntime({ env: { NODE_ENV: 'test', OPSPILOT_DATA_DIR: 'memory://' }, logger: silentLogger, printDemoCredentials: false, limits: { perPrincipalPerMinute: 1e9, perIpPerMinute: 1e9 } });
  try {
    const workspace = await runtime.db.prisma.workspace.findFirstOrThrow({ where: { isDemo: true } });
    const apiKey = runtime.demoCredentials?.apiKey;
    if (!apiKey) throw new Error('The demo seed created no API key');
    const firstEvent: number[] = [];
    const done: number[] = [];
    const reasonerEvents: number[] = [];
    for (let index = 0; index < 23; index += 1) {
      const timing = await timeOneTurn(runtime, workspace.id);
      if (index < 3) continue;
      firstEvent.push(timing.firstEventMs);
      done.push(timing.doneMs);
      reasonerEvents.push(timing.events);
    }
    const modelDeltas = 300;
    const burst = await measureModelTurns(runtime, workspace.id, { deltas: modelDeltas, delayMs: 0, turns: 8, warmup: 1 });
    const paced = await measureModelTurns(runtime, workspace.id, { deltas: 100, delayMs: 5, turns: 4, warmup: 1 });
    const subscriptions = 1_000;
    const callerKb = await measureCallerSubscriptions(runtime, workspace.id, apiKey, subscriptions);
    const httpKb = await measureHttpSubscriptions(runtime, workspace.id, apiKey, subscriptions);
    return {
      question: 'What was MRR last month?',
      turns: firstEvent.length,
      reasonerFirstEventP50Ms: percentile(firstEvent, 0.5),
      reasonerFirstEventP95Ms: percentile(firstEvent, 0.95),
      reasonerDoneP50Ms: percentile(done, 0.5),
      reasonerDoneP95Ms: percentile(done, 0.95),
      reasonerEventsPerAnswer: percentile(reasonerEvents, 0.5),
      modelBurstDeltasFromModel: modelDeltas,
      ...prefixKeys('modelBurstUncoalesced', burst.off),
      ...prefixKeys('modelBurstCoalesced', burst.on),
      modelPacedDeltasFromModel: 100,
      modelPacedDelayBetweenDeltasMs: 5,
      ...prefixKeys('modelPacedUncoalesced', paced.off),
      ...prefixKeys('modelPacedCoalesced', paced.on),
      openSubscriptions: subscriptions,
      heapPerCallerSubscriptionKb: Math.round(callerKb * 10) / 10,
      heapPerHttpSseSubscriptionKb: Math.round(httpKb * 10) / 10,
      heapFor1000HttpSseSubscriptionsMb: Math.round((httpKb * subscriptions) / 1024),
    };
  } finally {
    await runtime.close();
  }
}
