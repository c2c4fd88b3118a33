import { addDays, demoDays, demoStart, minuteMs } from './calendar';
import { type TimeWindow } from './incidents';
import type { Random } from './random';
import type { DemoDeploy } from './types';

type Service = 'api' | 'web' | 'worker';

const serviceWeights: readonly (readonly [Service, number])[] = [
  ['api', 50],
  ['web', 35],
  ['worker', 15],
];
const changeDescriptions: Record<Service, readonly string[]> = {
  api: [
    'Add pagination to /v1/reports',
    'Cache workspace settings lookups',
    'Upgrade HTTP server',
    'Tighten rate-limit headers',
    'Fix CSV export time zones',
  ],
  web: [
    'Polish onboarding checklist',
    'New chart tooltips',
    'Fix dark-mode contrast',
    'Speed up dashboard first paint',
    'Billing page copy update',
  ],
  worker: [
    'Retry webhook deliveries with jitter',
    'Batch nightly rollups',
    'Upgrade queue client',
    'Lower email digest concurrency',
  ],
};

interface DraftDeploy {
  service: Service;
  deployedAt: Date;
  description: string;
  rolledBack: boolean;
  rollbackOf?: 'previous';
}

/**
 * Routine weekday deploys of three services plus the planted pair: the api
 * deploy two minutes before the latency regression and its rollback as the
 * regression ends. No other api deploy happens that day, so the culprit is
 * unambiguous.
 */
export function generateDeploys(
  workspaceId: string,
  anchor: Date,
  regression: TimeWindow,
  random: Random,
): DemoDeploy[] {
  const start = demoStart(anchor);
  const regressionDay = Math.floor((regression.start - start.getTime()) / (24 * 60 * minuteMs));
  const drafts: DraftDeploy[] = [];
  for (let day = 0; day < demoDays; day += 1) {
    const date = addDays(start, day);
    const weekday = date.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const count = random.poisson(1.3);
    for (let deploy = 0; deploy < count; deploy += 1) {
      const service = random.pickWeighted(serviceWeights);
      if (service === 'api' && day === regressionDay) continue;
      const minuteOfDay = random.integer(9 * 60, 17 * 60 + 30);
      drafts.push({
        service,
        deployedAt: new Date(date.getTime() + minuteOfDay * minuteMs),
        description: random.pick(changeDescriptions[service]),
        rolledBack: false,
      });
    }
  }
  drafts.push(
    {
      service: 'api',
      deployedAt: new Date(regression.start - 2 * minuteMs),
      description: 'Move report queries to the new query builder',
      rolledBack: true,
    },
    {
      service: 'api',
      deployedAt: new Date(regression.end - minuteMs),
      description: 'Rollback after p95 latency regression',
      rolledBack: false,
      rollbackOf: 'previous',
    },
  );
  drafts.sort((left, right) => left.deployedAt.getTime() - right.deployedAt.getTime());
  return numberDeploys(workspaceId, drafts);
}

/** Semantic versions per service in deploy order; a rollback redeploys the version before the bad one. */
function numberDeploys(workspaceId: string, drafts: readonly DraftDeploy[]): DemoDeploy[] {
  const versions: Record<Service, { minor: number; patch: number; history: string[] }> = {
    api: { minor: 14, patch: 0, history: [] },
    web: { minor: 31, patch: 0, history: [] },
    worker: { minor: 6, patch: 0, history: [] },
  };
  return drafts.map((draft, index) => {
    const state = versions[draft.service];
    let version: string;
    let description = draft.description;
    if (draft.rollbackOf === 'previous') {
      version = state.history[state.history.length - 2] ?? '2.0.0';
      description = `${description}: redeploy ${version}`;
    } else {
      state.patch += 1;
      if (state.patch > 7) {
        state.minor += 1;
        state.patch = 0;
      }
      version = `2.${state.minor}.${state.patch}`;
    }
    state.history.push(version);
    return {
      id: `${workspaceId}_dep_${String(index + 1).padStart(4, '0')}`,
      workspaceId,
      service: draft.service,
      version,
      description,
      deployedAt: draft.deployedAt,
      rolledBack: draft.rolledBack,
    };
  });
}
