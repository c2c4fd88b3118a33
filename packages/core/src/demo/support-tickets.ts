import { addDays, demoDays, demoStart, hourMs, minuteMs, yearProgress } from './calendar';
import { isInside, type TimeWindow } from './incidents';
import type { Random } from './random';
import type { DemoCustomer, DemoSupportTicket } from './types';

type Topic = 'billing' | 'performance' | 'product';

const subjects: Record<Topic, readonly string[]> = {
  billing: [
    'Card declined on renewal',
    'Invoice shows the wrong amount',
    'How do I switch to annual billing?',
    'Payment failed but card is valid',
    'Need a VAT number on invoices',
  ],
  performance: [
    'Dashboards load slowly',
    'API requests timing out',
    'Reports take minutes to render',
    'Intermittent 504 errors',
  ],
  product: [
    'Cannot invite a teammate',
    'CSV export missing columns',
    'SSO setup question',
    'Feature request: Slack alerts',
    'Chart shows no data for yesterday',
    'How do I delete a workspace?',
  ],
};
const topicWeights: readonly (readonly [Topic, number])[] = [
  ['billing', 25],
  ['performance', 15],
  ['product', 60],
];
const priorities: readonly (readonly [string, number])[] = [
  ['low', 30],
  ['normal', 50],
  ['high', 15],
  ['urgent', 5],
];

export interface TicketWindows {
  paymentOutage: TimeWindow;
  latencyRegression: TimeWindow;
}

/**
 * Support tickets: a weekday-heavy baseline that grows with the business,
 * plus the extra billing and performance tickets the planted incidents cause.
 */
export function generateSupportTickets(
  workspaceId: string,
  anchor: Date,
  customers: readonly DemoCustomer[],
  windows: TicketWindows,
  random: Random,
): DemoSupportTicket[] {
  const start = demoStart(anchor);
  const drafts: { createdAt: Date; topic: Topic }[] = [];
  for (let day = 0; day < demoDays; day += 1) {
    const date = addDays(start, day);
    const weekday = date.getUTCDay();
    const mean = (weekday === 0 || weekday === 6 ? 1.3 : 4.2) * (1 + 0.5 * yearProgress(anchor, date));
    const count = random.poisson(mean);
    for (let ticket = 0; ticket < count; ticket += 1) {
      drafts.push({
        createdAt: new Date(date.getTime() + random.integer(6 * 60, 22 * 60) * minuteMs),
        topic: random.pickWeighted(topicWeights),
      });
    }
    if (isInside(windows.paymentOutage, date.getTime())) {
      for (let ticket = random.poisson(5); ticket > 0; ticket -= 1) {
        drafts.push({
          createdAt: new Date(date.getTime() + random.integer(8 * 60, 22 * 60) * minuteMs),
          topic: 'billing',
        });
      }
    }
  }
  const regressionLength = windows.latencyRegression.end - windows.latencyRegression.start;
  for (let ticket = 0; ticket < 6; ticket += 1) {
    drafts.push({
      createdAt: new Date(windows.latencyRegression.start + random.next() * regressionLength),
      topic: 'performance',
    });
  }
  drafts.sort((left, right) => left.createdAt.getTime() - right.createdAt.getTime());
  return drafts.map((draft, index) => createTicket(workspaceId, anchor, index + 1, draft, customers, random));
}

function createTicket(
  workspaceId: string,
  anchor: Date,
  number: number,
  draft: { createdAt: Date; topic: Topic },
  customers: readonly DemoCustomer[],
  random: Random,
): DemoSupportTicket {
  const known = countCustomersBefore(customers, draft.createdAt.getTime());
  const customer = known > 0 && random.chance(0.85) ? customers[random.integer(0, known - 1)] : undefined;
  const priority =
    draft.topic === 'performance' && random.chance(0.5) ? 'high' : random.pickWeighted(priorities);
  const hoursToResolve = -Math.log(1 - random.next()) * (priority === 'urgent' ? 4 : 20);
  const resolvedAt = new Date(
    draft.createdAt.getTime() + Math.round((hoursToResolve * hourMs) / minuteMs) * minuteMs,
  );
  const resolved = resolvedAt.getTime() < anchor.getTime();
  const paddedNumber = String(number).padStart(5, '0');
  return {
    id: `${workspaceId}_tkt_${paddedNumber}`,
    workspaceId,
    customerId: customer?.id ?? null,
    externalId: `tkt_demo_${paddedNumber}`,
    subject: random.pick(subjects[draft.topic]),
    priority,
    status: resolved ? 'resolved' : 'open',
    createdAt: draft.createdAt,
    resolvedAt: resolved ? resolvedAt : null,
  };
}

/** Customers are sorted by createdAt, so a binary search finds how many existed at `time`. */
function countCustomersBefore(customers: readonly DemoCustomer[], time: number): number {
  let low = 0;
  let high = customers.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((customers[middle]?.createdAt.getTime() ?? Infinity) <= time) low = middle + 1;
    else high = middle;
  }
  return low;
}
