import { planWithReasoner, type Answer, type Intent, type ReasonerAction } from '@opspilot/core/agents';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../client';
import { inMemoryDataDir } from '../config';
import { applyMigrations } from '../migrate/apply-migrations';
import { seedDemo } from '../seed';
import { createAgentBusinessData } from './agent-business-data';

// Every expected number below is computed here from the database with SQL,
// never read from the reasoner.
const now = new Date('2026-11-25T00:00:00Z');
const day = 86_400_000;
const utc = (year: number, month: number, date = 1) => new Date(Date.UTC(year, month, date));
const lastMonth = { from: utc(2026, 9), to: utc(2026, 10) };
const thisQuarter = { from: utc(2026, 9), to: now };
const lastQuarter = { from: utc(2026, 6), to: utc(2026, 9) };
const march = { from: utc(2026, 2), to: utc(2026, 3) };
const last30 = { from: new Date(now.getTime() - 30 * day), to: now };

const dollars = (cents: number) => `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const percent = (ratio: number) => `${(ratio * 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}%`;
const count = (value: number) => value.toLocaleString('en-US');

let db: Database;
let workspaceId: string;

async function scalar(sql: string, params: unknown[]): Promise<number> {
  const rows = await db.query<{ value: number | string | null }>(sql, [workspaceId, ...params]);
  return Number(rows[0]?.value ?? 0);
}

const at = (date: Date) => date.toISOString();
const ledgerBefore = `"workspaceId" = $1 AND "occurredAt" < ($2::timestamptz AT TIME ZONE 'UTC')`;
const ledgerIn = `"workspaceId" = $1 AND "occurredAt" >= ($2::timestamptz AT TIME ZONE 'UTC') AND "occurredAt" < ($3::timestamptz AT TIME ZONE 'UTC')`;
const sql = {
  mrrAt: (date: Date) => scalar(`SELECT COALESCE(SUM("mrrAfter" - "mrrBefore"), 0) AS value FROM "MrrChange" WHERE ${ledgerBefore}`, [at(date)]),
  payingAt: (date: Date) => scalar(`SELECT count(*) AS value FROM (SELECT "customerId" FROM "MrrChange" WHERE ${ledgerBefore} GROUP BY "customerId" HAVING SUM("mrrAfter" - "mrrBefore") > 0) paying`, [at(date)]),
  churned: (range: { from: Date; to: Date }) => scalar(`SELECT COALESCE(SUM("mrrBefore"), 0) AS value FROM "MrrChange" WHERE ${ledgerIn} AND "mrrBefore" > 0 AND "mrrAfter" = 0`, [at(range.from), at(range.to)]),
  churnEvents: (range: { from: Date; to: Date }) => scalar(`SELECT count(*) AS value FROM "MrrChange" WHERE ${ledgerIn} AND "mrrBefore" > 0 AND "mrrAfter" = 0`, [at(range.from), at(range.to)]),
  expansion: (range: { from: Date; to: Date }) => scalar(`SELECT COALESCE(SUM("mrrAfter" - "mrrBefore"), 0) AS value FROM "MrrChange" WHERE ${ledgerIn} AND "mrrBefore" > 0 AND "mrrAfter" > "mrrBefore"`, [at(range.from), at(range.to)]),
  contraction: (range: { from: Date; to: Date }) => scalar(`SELECT COALESCE(SUM("mrrBefore" - "mrrAfter"), 0) AS value FROM "MrrChange" WHERE ${ledgerIn} AND "mrrAfter" > 0 AND "mrrAfter" < "mrrBefore"`, [at(range.from), at(range.to)]),
  /** 0 -> >0 rows; `returning` picks reactivations (the customer paid before) or new business. */
  starts: (range: { from: Date; to: Date }, returning: boolean) =>
    scalar(
      `SELECT COALESCE(SUM(m."mrrAfter"), 0) AS value FROM "MrrChange" m WHERE m.${ledgerIn.replaceAll('"workspaceId"', '"workspaceId"')} AND m."mrrBefore" = 0 AND m."mrrAfter" > 0
       AND ${returning ? '' : 'NOT'} EXISTS (SELECT 1 FROM "MrrChange" e WHERE e."workspaceId" = $1 AND e."customerId" = m."customerId" AND e."occurredAt" < m."occurredAt" AND (e."mrrAfter" > 0 OR e."mrrBefore" > 0))`,
      [at(range.from), at(range.to)],
    ),
  lostCustomers: (range: { from: Date; to: Date }) =>
    scalar(
      `SELECT count(DISTINCT m."customerId") AS value FROM "MrrChange" m WHERE m."workspaceId" = $1 AND m."occurredAt" >= ($2::timestamptz AT TIME ZONE 'UTC') AND m."occurredAt" < ($3::timestamptz AT TIME ZONE 'UTC') AND m."mrrAfter" = 0 AND m."mrrBefore" > 0
       AND (SELECT SUM(p."mrrAfter" - p."mrrBefore") FROM "MrrChange" p WHERE p."workspaceId" = $1 AND p."customerId" = m."customerId" AND p."occurredAt" < ($2::timestamptz AT TIME ZONE 'UTC')) > 0`,
      [at(range.from), at(range.to)],
    ),
  countIn: (table: string, column: string, range: { from: Date; to: Date }) =>
    scalar(`SELECT count(*) AS value FROM "${table}" WHERE "workspaceId" = $1 AND "${column}" >= ($2::timestamptz AT TIME ZONE 'UTC') AND "${column}" < ($3::timestamptz AT TIME ZONE 'UTC')`, [at(range.from), at(range.to)]),
  pointSum: (metric: string, range: { from: Date; to: Date }) =>
    scalar(`SELECT COALESCE(SUM("value"), 0) AS value FROM "MetricPoint" WHERE "workspaceId" = $1 AND "metric" = $4 AND "segment" = '' AND "ts" >= ($2::timestamptz AT TIME ZONE 'UTC') AND "ts" < ($3::timestamptz AT TIME ZONE 'UTC')`, [at(range.from), at(range.to), metric]),
  planMrrAt: (plan: string, date: Date) =>
    scalar(
      `SELECT COALESCE(SUM(latest."mrrAfter"), 0) AS value FROM (
         SELECT DISTINCT ON ("customerId") "customerId", "mrrAfter", "planKey" FROM "MrrChange" WHERE ${ledgerBefore} ORDER BY "customerId", "occurredAt" DESC, "id" DESC
       ) latest WHERE latest."planKey" = $3`,
      [at(date), plan],
    ),
};

async function ask(text: string): Promise<{ intent: Intent; answer: Answer; actions: ReasonerAction[]; agent: string }> {
  const { intent, steps } = await planWithReasoner({ data: createAgentBusinessData(db), workspaceId, text, now, readTools: [] });
  expect(steps).toHaveLength(1);
  const result = await steps[0]!.run();
  return { intent, ...result, agent: steps[0]!.agent };
}

function figure(answer: Answer, metric: string, range?: { from: Date; to: Date }, segment: string | null = null): number | null {
  const match = answer.figures.find((candidate) => candidate.metric === metric && candidate.segment === segment && (!range || (candidate.from === at(range.from) && candidate.to === at(range.to))));
  if (!match) throw new Error(`No figure ${metric} ${range ? `${at(range.from)}..${at(range.to)}` : ''} in ${JSON.stringify(answer.figures)}`);
  return match.value;
}

beforeAll(async () => {
  db = await openDatabase({ mode: 'embedded', dataDir: inMemoryDataDir });
  await applyMigrations(db);
  workspaceId = (await seedDemo(db, { now })).workspaceId;
}, 240_000);

afterAll(async () => {
  await db?.close();
});

describe('the built-in reasoner on the demo business (expected numbers from SQL)', () => {
  it('1. current MRR', async () => {
    const { answer } = await ask('What is our MRR?');
    const expected = await sql.mrrAt(now);
    expect(expected).toBeGreaterThan(0);
    expect(figure(answer, 'mrr')).toBe(expected);
    expect(answer.text).toContain(dollars(expected));
    expect(answer.text).toContain('Definition: MRR v1');
  });

  it('2. MRR at the end of last month', async () => {
    const { answer } = await ask('What was MRR last month?');
    const expected = await sql.mrrAt(lastMonth.to);
    expect(figure(answer, 'mrr', lastMonth)).toBe(expected);
    expect(answer.text).toContain(dollars(expected));
    expect(answer.text).toContain('2026-10-01 to 2026-10-31');
  });

  it('3. MRR at the end of March', async () => {
    const { answer } = await ask('What was our monthly recurring revenue in March?');
    expect(figure(answer, 'mrr', march)).toBe(await sql.mrrAt(march.to));
    expect(answer.text).toContain(dollars(await sql.mrrAt(march.to)));
  });

  it('4. ARR now', async () => {
    const { answer } = await ask("What's our ARR?");
    expect(figure(answer, 'arr')).toBe(12 * (await sql.mrrAt(now)));
    expect(answer.text).toContain(dollars(12 * (await sql.mrrAt(now))));
  });

  it('5. paying customers now', async () => {
    const { answer } = await ask('How many paying customers do we have?');
    const expected = await sql.payingAt(now);
    expect(figure(answer, 'paying_customers')).toBe(expected);
    expect(answer.text).toContain(`: ${count(expected)}.`);
  });

  it('6. paying customers at the end of last quarter', async () => {
    const { answer } = await ask('How many paying customers did we have last quarter?');
    expect(figure(answer, 'paying_customers', lastQuarter)).toBe(await sql.payingAt(lastQuarter.to));
  });

  it('7. ARPA last month', async () => {
    const { answer } = await ask('What was ARPA last month?');
    const expected = (await sql.mrrAt(lastMonth.to)) / (await sql.payingAt(lastMonth.to));
    expect(figure(answer, 'arpa', lastMonth)).toBeCloseTo(expected, 6);
    expect(answer.text).toContain(dollars(expected));
  });

  it('8. new MRR last month', async () => {
    const { answer } = await ask('How much new MRR did we add last month?');
    const expected = await sql.starts(lastMonth, false);
    expect(figure(answer, 'mrr_new', lastMonth)).toBe(expected);
    expect(answer.text).toContain(dollars(expected));
  });

  it('9. expansion MRR this quarter', async () => {
    const { answer } = await ask('Expansion MRR this quarter?');
    const expected = await sql.expansion(thisQuarter);
    expect(figure(answer, 'mrr_expansion', thisQuarter)).toBe(expected);
    expect(answer.text).toContain(dollars(expected));
  });

  it('10. contraction in the last 90 days', async () => {
    const range = { from: new Date(now.getTime() - 90 * day), to: now };
    const { answer } = await ask('How much contraction did we see in the last 90 days?');
    expect(figure(answer, 'mrr_contraction', range)).toBe(await sql.contraction(range));
  });

  it('11. churned MRR last month', async () => {
    const { answer } = await ask('How much MRR did we lose to churn last month? (churned MRR)');
    const expected = await sql.churned(lastMonth);
    expect(figure(answer, 'mrr_churn', lastMonth)).toBe(expected);
    expect(answer.text).toContain(dollars(expected));
  });

  it('12. customer churn rate last month', async () => {
    const { answer } = await ask('What was the customer churn rate last month?');
    const expected = (await sql.lostCustomers(lastMonth)) / (await sql.payingAt(lastMonth.from));
    expect(figure(answer, 'customer_churn_rate', lastMonth)).toBeCloseTo(expected, 10);
    expect(answer.text).toContain(percent(expected));
  });

  it('13. NRR last quarter', async () => {
    const { answer } = await ask('What was net revenue retention last quarter?');
    const start = await sql.mrrAt(lastQuarter.from);
    const expected = (start + (await sql.expansion(lastQuarter)) + (await sql.starts(lastQuarter, true)) - (await sql.contraction(lastQuarter)) - (await sql.churned(lastQuarter))) / start;
    expect(figure(answer, 'nrr', lastQuarter)).toBeCloseTo(expected, 10);
    expect(answer.text).toContain(percent(expected));
  });

  it('14. GRR last quarter', async () => {
    const { answer } = await ask('Gross revenue retention last quarter');
    const start = await sql.mrrAt(lastQuarter.from);
    const expected = (start - (await sql.contraction(lastQuarter)) - (await sql.churned(lastQuarter))) / start;
    expect(figure(answer, 'grr', lastQuarter)).toBeCloseTo(expected, 10);
  });

  it('15. quick ratio last month', async () => {
    const { answer } = await ask('What was our quick ratio last month?');
    const expected = ((await sql.starts(lastMonth, false)) + (await sql.expansion(lastMonth))) / ((await sql.contraction(lastMonth)) + (await sql.churned(lastMonth)));
    expect(figure(answer, 'quick_ratio', lastMonth)).toBeCloseTo(expected, 10);
    expect(answer.text).toContain(expected.toFixed(2));
  });

  it('16. signups in the last 30 days', async () => {
    const { answer } = await ask('How many signups in the last 30 days?');
    const expected = await sql.countIn('Customer', 'createdAt', last30);
    expect(figure(answer, 'signups', last30)).toBe(expected);
    expect(answer.text).toContain(count(expected));
  });

  it('17. signups in March', async () => {
    const { answer } = await ask('How many sign-ups did we get in March?');
    expect(figure(answer, 'signups', march)).toBe(await sql.countIn('Customer', 'createdAt', march));
  });

  it('18. support tickets last week', async () => {
    const lastWeek = { from: utc(2026, 10, 16), to: utc(2026, 10, 23) };
    const { answer } = await ask('How many support tickets came in last week?');
    const expected = await sql.countIn('SupportTicket', 'createdAt', lastWeek);
    expect(figure(answer, 'ticket_volume', lastWeek)).toBe(expected);
    expect(answer.text).toContain('2026-11-16 to 2026-11-22');
  });

  it('19. failed payments last month', async () => {
    const { answer } = await ask('How many failed payments did we have last month?');
    expect(figure(answer, 'failed_payments', lastMonth)).toBe(await sql.countIn('Invoice', 'lastFailedAt', lastMonth));
  });

  it('20. API error rate yesterday', async () => {
    const yesterday = { from: utc(2026, 10, 24), to: now };
    const { answer } = await ask('What was the error rate yesterday?');
    const expected = (await sql.pointSum('api_errors', yesterday)) / (await sql.pointSum('api_requests', yesterday));
    expect(figure(answer, 'error_rate', yesterday)).toBeCloseTo(expected, 12);
    expect(answer.text).toContain(percent(expected));
  });

  it('21. MRR this quarter vs last quarter', async () => {
    const { intent, answer } = await ask('Compare MRR this quarter vs last quarter');
    expect(intent.kind).toBe('compare');
    const [current, previous] = [await sql.mrrAt(now), await sql.mrrAt(lastQuarter.to)];
    expect(figure(answer, 'mrr', thisQuarter)).toBe(current);
    expect(figure(answer, 'mrr', lastQuarter)).toBe(previous);
    expect(answer.text).toContain(dollars(Math.abs(current - previous)));
  });

  it('22. signups last month compared with the month before', async () => {
    const before = { from: utc(2026, 8), to: utc(2026, 9) };
    const { answer } = await ask('How did signups last month compare to the month before?');
    expect(figure(answer, 'signups', lastMonth)).toBe(await sql.countIn('Customer', 'createdAt', lastMonth));
    expect(figure(answer, 'signups', before)).toBe(await sql.countIn('Customer', 'createdAt', before));
  });

  it('23. MRR by plan at the end of last month', async () => {
    const { answer } = await ask('Show MRR by plan for last month');
    for (const plan of ['starter', 'growth', 'scale']) {
      const expected = await sql.planMrrAt(plan, lastMonth.to);
      expect(figure(answer, 'mrr', lastMonth, plan), plan).toBe(expected);
      expect(answer.text).toContain(dollars(expected));
    }
    expect(figure(answer, 'mrr', lastMonth)).toBe(await sql.mrrAt(lastMonth.to));
  });

  it('24. MRR on the Growth plan now', async () => {
    const { answer } = await ask('What is MRR on the Growth plan?');
    expect(figure(answer, 'mrr', undefined, 'growth')).toBe(await sql.planMrrAt('growth', now));
  });

  it('25. MRR trend over the last 6 months, month by month', async () => {
    const { intent, answer } = await ask('Show me the MRR trend over the last 6 months');
    expect(intent.kind).toBe('metric-trend');
    for (let month = 5; month <= 9; month += 1) {
      const range = { from: utc(2026, month), to: utc(2026, month + 1) };
      expect(figure(answer, 'mrr', range)).toBe(await sql.mrrAt(range.to));
    }
  });

  it('26. which customers churned last month', async () => {
    const { answer } = await ask('Which customers churned last month?');
    const events = await sql.churnEvents(lastMonth);
    expect(figure(answer, 'churn_events', lastMonth)).toBe(events);
    expect(figure(answer, 'mrr_churn', lastMonth)).toBe(await sql.churned(lastMonth));
    const [top] = await db.query<{ name: string }>(
      `SELECT c."name" FROM "MrrChange" m JOIN "Customer" c ON c."id" = m."customerId" WHERE m."workspaceId" = $1 AND m."occurredAt" >= $2::timestamptz AT TIME ZONE 'UTC' AND m."occurredAt" < $3::timestamptz AT TIME ZONE 'UTC' AND m."mrrAfter" = 0 AND m."mrrBefore" > 0 ORDER BY m."mrrBefore" DESC, m."customerId" LIMIT 1`,
      [workspaceId, at(lastMonth.from), at(lastMonth.to)],
    );
    if (events > 0) expect(answer.text).toContain(top!.name);
  });

  it('27. why MRR changed last month: the movements behind it', async () => {
    const { intent, answer } = await ask('Why did MRR change last month?');
    expect(intent.kind).toBe('why');
    expect(figure(answer, 'mrr_movement_churn', lastMonth)).toBe(await sql.churned(lastMonth));
    expect(figure(answer, 'mrr_movement_new', lastMonth)).toBe(await sql.starts(lastMonth, false));
    expect(figure(answer, 'mrr_movement_end', lastMonth)).toBe(await sql.mrrAt(lastMonth.to));
    expect(answer.text).toContain(`churn -${dollars(await sql.churned(lastMonth))}`);
  });

  it('27b. a why question that assumes the wrong movement is corrected first; one that assumes the right one is not', async () => {
    const churnLastMonth = (answer: { figures: { metric: string; value: number | null }[] }) =>
      answer.figures.filter((candidate) => candidate.metric === 'customer_churn_rate').map((candidate) => candidate.value);
    const up = (await ask('Why did customer churn rate go up last month?')).answer;
    const [now, earlier] = churnLastMonth(up);
    expect(now).not.toBeUndefined();
    const wentUp = (now ?? 0) > (earlier ?? 0);
    expect(up.text.startsWith('Customer churn rate did not go up last month')).toBe(!wentUp);
    const down = (await ask('Why did customer churn rate drop last month?')).answer;
    expect(down.text.startsWith('Customer churn rate did not go down last month')).toBe(wentUp || now === earlier);
  });

  it('28. which customers are at risk', async () => {
    const { answer } = await ask('Which customers are at risk?');
    const expected = await scalar(
      `SELECT count(*) AS value FROM "Customer" c WHERE c."workspaceId" = $1
       AND (SELECT COALESCE(SUM("mrrAfter" - "mrrBefore"), 0) FROM "MrrChange" m WHERE m."workspaceId" = $1 AND m."customerId" = c."id" AND m."occurredAt" < ($2::timestamptz AT TIME ZONE 'UTC')) > 0
       AND (EXISTS (SELECT 1 FROM "Subscription" s WHERE s."workspaceId" = $1 AND s."customerId" = c."id" AND s."status" = 'past_due')
         OR EXISTS (SELECT 1 FROM "Invoice" i WHERE i."workspaceId" = $1 AND i."customerId" = c."id" AND i."status" IN ('failed', 'open') AND i."attemptCount" > 0 AND i."paidAt" IS NULL AND i."lastFailedAt" IS NOT NULL))`,
      [at(now)],
    );
    expect(answer.figures.find((candidate) => candidate.metric === 'at_risk_customers')?.value ?? 0).toBe(expected);
  });

  it('29. what is wrong: the health scan states exact numbers for both windows', async () => {
    const { intent, answer } = await ask("What's wrong?");
    expect(intent.kind).toBe('what-is-wrong');
    const recent = { from: new Date(now.getTime() - 30 * day), to: now };
    const before = { from: new Date(now.getTime() - 60 * day), to: recent.from };
    expect(figure(answer, 'failed_payments', recent)).toBe(await sql.countIn('Invoice', 'lastFailedAt', recent));
    expect(figure(answer, 'failed_payments', before)).toBe(await sql.countIn('Invoice', 'lastFailedAt', before));
    expect(figure(answer, 'ticket_volume', recent)).toBe(await sql.countIn('SupportTicket', 'createdAt', recent));
    expect(figure(answer, 'signups', before)).toBe(await sql.countIn('Customer', 'createdAt', before));
  });

  it('30. says plainly when it does not understand, with no number', async () => {
    const { intent, answer } = await ask('What is the capital of France?');
    expect(intent.kind).toBe('unknown');
    expect(answer.text).toContain('did not understand');
    expect(answer.text).not.toMatch(/\$\d/);
    expect(answer.figures).toEqual([]);
  });

  it('31. "yes" is not an approval', async () => {
    const { intent, answer, actions } = await ask('yes');
    expect(intent.kind).toBe('confirmation');
    expect(actions).toEqual([]);
    expect(answer.text).toContain('approves nothing');
  });

  it('32. a dashboard request becomes a ui-patch for the ui-designer', async () => {
    const { agent, actions } = await ask('Add the customer churn rate to the dashboard');
    expect(agent).toBe('ui-designer');
    expect(actions).toEqual([expect.objectContaining({ kind: 'ui-patch', context: 'main_dashboard', request: 'Add the customer churn rate to the dashboard' })]);
  });
});
